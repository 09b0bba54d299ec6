//! Mistake: awaits each connection's work inside the accept loop, so the next client is
//! served only when this one leaves: the first server of tokio's own tutorial ("Spawning":
//! `process(socket).await` in the accept loop "processes inbound requests one at a time").
//! Lesson: line_server
//! Headline: served the clients one at a time

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio::time::sleep;

/// Serves each connection to its end before taking the next.
pub async fn serve_lines(mut incoming: Receiver<DuplexStream>, delay: f64) {
    while let Some(connection) = incoming.recv().await {
        let (reader, mut writer) = tokio::io::split(connection);
        let mut lines = BufReader::new(reader).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            sleep(Duration::from_secs_f64(delay)).await;
            let reply = format!("{}\n", line.to_uppercase());
            if writer.write_all(reply.as_bytes()).await.is_err() {
                break;
            }
        }
    }
}
