//! Mistake: reads the whole connection with `read_to_string` before answering, which waits
//! for the client to close its side: a client that stays connected is never answered while
//! it waits (tokio-rs/tokio-line#27: `read_to_string` blocks until the other side closes;
//! n0-computer/iroh#4391 documents the same for `read_to_end`).
//! Lesson: line_server
//! Headline: answered only after the client closed its side

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio::time::sleep;

/// Reads everything, then answers every line.
pub async fn serve_lines(mut incoming: Receiver<DuplexStream>, delay: f64) {
    while let Some(mut connection) = incoming.recv().await {
        tokio::spawn(async move {
            let mut text = String::new();
            if connection.read_to_string(&mut text).await.is_err() {
                return;
            }
            for line in text.lines() {
                sleep(Duration::from_secs_f64(delay)).await;
                let reply = format!("{}\n", line.to_uppercase());
                if connection.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}
