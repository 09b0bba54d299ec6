//! Mistake: calls the slow function inside the connection's task, as any other function: the
//! "blocking in async fn" of tokio's own docs and of countless forum threads ("my server
//! stops answering while it hashes a password"). The computation holds the runtime's only
//! thread, so every other client waits for it, even a `ping`.
//! Lesson: digest_server
//! Headline: ran on the runtime's thread from 0 s to 2 s

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;

/// Serves each connection in its own task, computing its digests in the task.
pub async fn serve_digests(mut incoming: Receiver<DuplexStream>, digest: fn(&str) -> String) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(async move {
            let (reader, mut writer) = tokio::io::split(connection);
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let reply = if line == "ping" {
                    "pong".to_string()
                } else if let Some(text) = line.strip_prefix("digest ") {
                    digest(text)
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
