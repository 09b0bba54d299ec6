//! Mistake: makes the map inside each connection's task, so every client has a store of its
//! own and nothing one sets reaches another: the server of tokio's own tutorial at its
//! "Spawning" step, whose `process` makes `HashMap::new()` per connection, before its "Shared
//! state" chapter shares one.
//! Lesson: shared_store
//! Headline: the state was not shared
//! Not: one at a time

use std::collections::HashMap;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio::time::sleep;

/// Serves each connection in its own task, with a map of its own.
pub async fn serve_store(mut incoming: Receiver<DuplexStream>, delay: f64) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(async move {
            let mut map: HashMap<String, String> = HashMap::new();
            let (reader, mut writer) = tokio::io::split(connection);
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                sleep(Duration::from_secs_f64(delay)).await;
                let mut words = line.splitn(3, ' ');
                let answer = match (words.next(), words.next(), words.next()) {
                    (Some("SET"), Some(key), Some(value)) => {
                        map.insert(key.to_string(), value.to_string());
                        "OK".to_string()
                    }
                    (Some("GET"), Some(key), None) => {
                        map.get(key).cloned().unwrap_or_else(|| "NONE".into())
                    }
                    _ => "ERROR".to_string(),
                };
                if writer
                    .write_all(format!("{answer}\n").as_bytes())
                    .await
                    .is_err()
                {
                    return;
                }
            }
        });
    }
}
