//! Mistake: races `read_line` against the shutdown in `select!`, meaning to finish a line that
//! is half read; but `read_line` is not cancel safe: when the shutdown wins, the bytes it had
//! read are lost (tokio's docs: "The current implementation replaces `buf` with the empty
//! string"), so the half-read line looks like no line at all and the connection is closed.
//! google/comprehensive-rust#713 fixed the same `read_line` in a `select!` of its chat client
//! ("This is a pretty common mistake, particularly with `select!`").
//! Lesson: shutdown
//! Headline: lost the half-read line
//! Not: kept taking connections

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Serves until the shutdown, waiting for the connections; each reads with `read_line`.
pub async fn serve_until(
    mut incoming: Receiver<DuplexStream>,
    shutdown: CancellationToken,
    delay: f64,
) {
    let tracker = TaskTracker::new();
    loop {
        tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            Some(connection) = incoming.recv() => {
                tracker.spawn(handle(connection, shutdown.clone(), delay));
            }
        }
    }
    drop(incoming);
    tracker.close();
    tracker.wait().await;
}

async fn handle(connection: DuplexStream, shutdown: CancellationToken, delay: f64) {
    let (reader, mut writer) = tokio::io::split(connection);
    let mut reader = BufReader::new(reader);
    let mut line = String::new();
    loop {
        tokio::select! {
            read = reader.read_line(&mut line) => if !matches!(read, Ok(n) if n > 0) { return },
            () = shutdown.cancelled() => {
                // Meant to finish a half-read line: but `line` was emptied by the cancelled read.
                if line.is_empty() || reader.read_line(&mut line).await.is_err() {
                    return;
                }
            }
        }
        tokio::time::sleep(Duration::from_secs_f64(delay)).await;
        let reply = format!("{}\n", line.trim_end().to_uppercase());
        line.clear();
        if writer.write_all(reply.as_bytes()).await.is_err() || shutdown.is_cancelled() {
            return;
        }
    }
}
