//! Mistake: writes the replies through a `BufWriter` and never flushes it: tokio's
//! `BufWriter` keeps them in memory, and dropping it does not flush, so no reply ever
//! leaves the server (tokio-rs/tokio#2484: "bitten by a missing `shutdown` on `BufWriter`").
//! Lesson: line_server
//! Headline: the replies never left the server

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio::time::sleep;

/// Answers through a buffer it never flushes.
pub async fn serve_lines(mut incoming: Receiver<DuplexStream>, delay: f64) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(async move {
            let (reader, writer) = tokio::io::split(connection);
            let mut writer = BufWriter::new(writer);
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                sleep(Duration::from_secs_f64(delay)).await;
                let reply = format!("{}\n", line.to_uppercase());
                if writer.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}
