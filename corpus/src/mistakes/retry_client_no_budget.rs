//! Mistake: retries with a timeout and backoff, but until it succeeds: against a server that
//! is gone for good it never returns (ihrwein/backoff#55 asks for the missing "max retry
//! count" of an exponential backoff that otherwise retries on).
//! Lesson: retry_client
//! Headline: kept trying past its budget

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::time::{sleep, timeout};

/// Retries until an answer comes.
pub async fn fetch_with_retry(
    mut connect: impl AsyncFnMut() -> std::io::Result<DuplexStream>,
    request: &str,
    wait: f64,
    backoff: f64,
    _tries: u32,
) -> Result<String, String> {
    let mut pause = Duration::from_secs_f64(backoff);
    loop {
        let answer = timeout(Duration::from_secs_f64(wait), async {
            let connection = connect().await.ok()?;
            let (reader, mut writer) = tokio::io::split(connection);
            writer
                .write_all(format!("{request}\n").as_bytes())
                .await
                .ok()?;
            BufReader::new(reader).lines().next_line().await.ok()?
        })
        .await;
        if let Ok(Some(answer)) = answer {
            return Ok(answer);
        }
        sleep(pause).await;
        pause *= 2;
    }
}
