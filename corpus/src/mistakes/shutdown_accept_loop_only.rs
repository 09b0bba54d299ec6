//! Mistake: watches the shutdown in the loop that takes connections only; each connection's
//! task reads with `next_line().await` alone and never hears it, so a client who stays
//! connected keeps his task, and the server waiting for its tasks, forever: poem-web/poem#546
//! (fixed by #550, "graceful shutdown of established connections", with a
//! `CancellationToken` handed to each connection).
//! Lesson: shutdown
//! Headline: ben, idle since 0.5 s, was never closed
//! Not: never looks at its shutdown signal

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Stops taking connections at the shutdown, then waits for connections that never end.
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
                tracker.spawn(handle(connection, delay));
            }
        }
    }
    drop(incoming);
    tracker.close();
    tracker.wait().await;
}

async fn handle(connection: DuplexStream, delay: f64) {
    let (reader, mut writer) = tokio::io::split(connection);
    let mut lines = BufReader::new(reader).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        tokio::time::sleep(Duration::from_secs_f64(delay)).await;
        if writer
            .write_all(format!("{}\n", line.to_uppercase()).as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}
