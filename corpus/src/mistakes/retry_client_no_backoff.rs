//! Mistake: retries at once after a failure, with no pause: against a server that is down
//! or overloaded, a burst of attempts that only adds to its load (siegesmund/SwiftDDP#11
//! added backoff to stop "a massive cpu spike on disconnection"; ueberdosis/hocuspocus#175
//! on the "thundering herd" of clients retrying together).
//! Lesson: retry_client
//! Headline: retried without waiting

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::time::timeout;

/// Retries in a tight loop.
pub async fn fetch_with_retry(
    mut connect: impl AsyncFnMut() -> std::io::Result<DuplexStream>,
    request: &str,
    wait: f64,
    _backoff: f64,
    tries: u32,
) -> Result<String, String> {
    for _ in 0..tries {
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
    }
    Err(format!("gave up after {tries} tries"))
}
