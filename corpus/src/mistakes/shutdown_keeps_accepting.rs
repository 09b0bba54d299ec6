//! Mistake: takes connections with `while let Some(c) = incoming.recv().await` and leaves the
//! loop only when `incoming` closes; the connections' tasks watch the shutdown, but a listener
//! never runs out of clients, so the server never stops taking them and never returns
//! (tokio's mini-redis races its accept loop against the shutdown signal in a `select!` for
//! this reason).
//! Lesson: shutdown
//! Headline: loop that takes connections never stopped
//! Not: was never closed

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Serves until `incoming` closes, which a listener never does.
pub async fn serve_until(
    mut incoming: Receiver<DuplexStream>,
    shutdown: CancellationToken,
    delay: f64,
) {
    let tracker = TaskTracker::new();
    while let Some(connection) = incoming.recv().await {
        tracker.spawn(handle(connection, shutdown.clone(), delay));
    }
    tracker.close();
    tracker.wait().await;
}

async fn handle(connection: DuplexStream, shutdown: CancellationToken, delay: f64) {
    let (reader, mut writer) = tokio::io::split(connection);
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    loop {
        tokio::select! {
            read = reader.read_until(b'\n', &mut line) => if !matches!(read, Ok(n) if n > 0) { return },
            () = shutdown.cancelled() => {
                if line.is_empty() || reader.read_until(b'\n', &mut line).await.is_err() {
                    return;
                }
            }
        }
        tokio::time::sleep(Duration::from_secs_f64(delay)).await;
        let reply = format!(
            "{}\n",
            String::from_utf8_lossy(&line).trim_end().to_uppercase()
        );
        line.clear();
        if writer.write_all(reply.as_bytes()).await.is_err() || shutdown.is_cancelled() {
            return;
        }
    }
}
