//! Mistake: retries refused connections with backoff, but waits for the answer with no
//! timeout: a server that accepts and never answers holds the client forever
//! (Growth-Circle/cadis#1228, "TCP client hangs indefinitely when daemon fails to respond";
//! jsvana/async-minecraft-ping#9, fixed by wrapping the call in `tokio::time::timeout`).
//! Lesson: retry_client
//! Headline: waited forever for a server that never answers

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::time::sleep;

/// Backoff and a budget, but no timeout.
pub async fn fetch_with_retry(
    mut connect: impl AsyncFnMut() -> std::io::Result<DuplexStream>,
    request: &str,
    _wait: f64,
    backoff: f64,
    tries: u32,
) -> Result<String, String> {
    let mut pause = Duration::from_secs_f64(backoff);
    for attempt in 1..=tries {
        if let Ok(connection) = connect().await {
            let (reader, mut writer) = tokio::io::split(connection);
            if writer
                .write_all(format!("{request}\n").as_bytes())
                .await
                .is_ok()
                && let Ok(Some(answer)) = BufReader::new(reader).lines().next_line().await
            {
                return Ok(answer);
            }
        }
        if attempt < tries {
            sleep(pause).await;
            pause *= 2;
        }
    }
    Err(format!("gave up after {tries} tries"))
}
