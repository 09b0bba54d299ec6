//! Mistake: spawns each connection into a `JoinSet` and, at the shutdown, leaves the loop and
//! returns: dropping the `JoinSet` aborts every task still in it, the one answering a request
//! too (tokio's `JoinSet` docs: "When the `JoinSet` is dropped, all tasks in the `JoinSet` are
//! immediately aborted"; tokio-rs/tokio#7222 asked for the `TaskTracker` docs to say it does
//! not, because users take one for the other).
//! Lesson: shutdown
//! Headline: without answering the request in flight
//! Not: never returned

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Serves until the shutdown, then returns at once, aborting the connections' tasks.
pub async fn serve_until(
    mut incoming: Receiver<DuplexStream>,
    shutdown: CancellationToken,
    delay: f64,
) {
    let mut set = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            Some(connection) = incoming.recv() => {
                set.spawn(handle(connection, shutdown.clone(), delay));
            }
        }
    }
    // `set` is dropped here: its tasks are aborted.
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
