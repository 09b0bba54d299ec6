//! Lesson 22, a client that retries: timeout, backoff, and a budget: the reference solution.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::time::{sleep, timeout};

/// Sends `request` (a line) and returns the first line of the answer. Each attempt (connect,
/// send, read the answer) gets `wait` seconds; a failed attempt is followed by a pause of
/// `backoff` seconds, doubled after each failure, and the next attempt, up to `tries` attempts
/// in all. After the last one fails, returns `Err("gave up after {tries} tries")` at once.
pub async fn fetch_with_retry(
    mut connect: impl AsyncFnMut() -> std::io::Result<DuplexStream>,
    request: &str,
    wait: f64,
    backoff: f64,
    tries: u32,
) -> Result<String, String> {
    let mut pause = Duration::from_secs_f64(backoff);
    for attempt in 1..=tries {
        let answer = timeout(Duration::from_secs_f64(wait), async {
            let connection = connect().await.ok()?;
            ask(connection, request).await
        })
        .await;
        if let Ok(Some(answer)) = answer {
            return Ok(answer);
        }
        if attempt < tries {
            sleep(pause).await;
            pause *= 2;
        }
    }
    Err(format!("gave up after {tries} tries"))
}

/// One exchange: the request as a line, the first line of the answer (`None`: the connection
/// broke or closed first). Generic over the transport, as a `TcpStream` would serve.
async fn ask<S: AsyncRead + AsyncWrite + Unpin>(connection: S, request: &str) -> Option<String> {
    let (reader, mut writer) = tokio::io::split(connection);
    writer
        .write_all(format!("{request}\n").as_bytes())
        .await
        .ok()?;
    BufReader::new(reader).lines().next_line().await.ok()?
}
