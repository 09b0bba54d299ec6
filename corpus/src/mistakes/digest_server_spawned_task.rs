//! Mistake: moves the computation into a task of its own with `tokio::spawn` and awaits it,
//! believing a spawned task runs "in the background": a task runs on the runtime's threads,
//! so the computation still holds the runtime's only thread ("tokio::spawn does not help
//! with CPU-bound work" is one of the most asked questions about tokio).
//! Lesson: digest_server
//! Headline: ran on the runtime's thread from 0 s to 2 s

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;

/// Serves each connection in its own task, computing each digest in a task of its own.
pub async fn serve_digests(mut incoming: Receiver<DuplexStream>, digest: fn(&str) -> String) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(async move {
            let (reader, mut writer) = tokio::io::split(connection);
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let reply = if line == "ping" {
                    "pong".to_string()
                } else if let Some(text) = line.strip_prefix("digest ") {
                    let text = text.to_string();
                    match tokio::spawn(async move { digest(&text) }).await {
                        Ok(value) => value,
                        Err(_) => "error".to_string(),
                    }
                } else {
                    "error".to_string()
                };
                if writer
                    .write_all(format!("{reply}\n").as_bytes())
                    .await
                    .is_err()
                {
                    return;
                }
            }
        });
    }
}
