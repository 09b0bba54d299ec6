//! Mistake: shares the map in an `Arc<tokio::sync::Mutex<..>>` and takes the lock as soon as
//! a command comes, holding it across the slow check: it compiles (tokio's guard may cross an
//! `.await`, std's may not in a spawned task), and every other client waits for the check of
//! the one holding it, which is the trade tokio's `Mutex` documentation warns of ("Which kind
//! of mutex should you use?": hold it only where a lock across `.await` is the point).
//! Lesson: shared_store
//! Headline: ben's command waited for ann's
//! Not: not shared

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::Mutex;
use tokio::sync::mpsc::Receiver;
use tokio::time::sleep;

/// Serves each connection in its own task; the shared map is locked for each whole command,
/// check included.
pub async fn serve_store(mut incoming: Receiver<DuplexStream>, delay: f64) {
    let store: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    while let Some(connection) = incoming.recv().await {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            let (reader, mut writer) = tokio::io::split(connection);
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut map = store.lock().await;
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
                drop(map);
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
