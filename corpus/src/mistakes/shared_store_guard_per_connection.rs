//! Mistake: takes the lock of the shared map once, when the connection starts, and keeps the
//! guard for the whole connection (a `let mut map = store.lock().await;` above the read loop,
//! so that the loop reads like the single-client version): every other client waits until
//! this one leaves. It compiles with tokio's `Mutex`, whose guard may cross an `.await`.
//! Lesson: shared_store
//! Headline: ben was locked out while ann stayed connected
//! Not: not shared

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::Mutex;
use tokio::sync::mpsc::Receiver;
use tokio::time::sleep;

/// Serves each connection in its own task, which holds the shared map's lock to its end.
pub async fn serve_store(mut incoming: Receiver<DuplexStream>, delay: f64) {
    let store: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    while let Some(connection) = incoming.recv().await {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            let mut map = store.lock().await;
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
