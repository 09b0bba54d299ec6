//! Mistake: computes on the blocking pool, as it should, but serves each connection inside the
//! loop that takes them: the runtime's thread is free, yet the next client is not even taken
//! until this one leaves. Moving the work off the thread is not concurrency by itself (the
//! accept loop of tokio's tutorial, "Spawning", with `spawn_blocking` added).
//! Lesson: digest_server
//! Headline: served the clients one at a time: the digest ran off the runtime's thread
//! Not: ran on the runtime's thread from

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;

/// Serves each connection to its end before taking the next; digests on the blocking pool.
pub async fn serve_digests(mut incoming: Receiver<DuplexStream>, digest: fn(&str) -> String) {
    while let Some(connection) = incoming.recv().await {
        let (reader, mut writer) = tokio::io::split(connection);
        let mut lines = BufReader::new(reader).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let reply = if line == "ping" {
                "pong".to_string()
            } else if let Some(text) = line.strip_prefix("digest ") {
                let text = text.to_string();
                match tokio::task::spawn_blocking(move || digest(&text)).await {
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
                break;
            }
        }
    }
}
