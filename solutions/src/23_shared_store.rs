//! Lesson 23, shared state across connections: the reference solution.

use std::collections::HashMap;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::sync::oneshot;
use tokio::time::sleep;

/// One command for the task that owns the map, with where to send its answer.
struct Request {
    line: String,
    reply: oneshot::Sender<String>,
}

/// Serves a key-value store to every connection `incoming` delivers, each in a task of its
/// own, all of them sharing one map: `SET key value` stores `value` (the rest of the line)
/// and is answered `OK`; `GET key` is answered with the value, or `NONE`; anything else with
/// `ERROR`. Each command is checked for `delay` seconds first, then carried out at once.
/// Returns once `incoming` is closed.
pub async fn serve_store(mut incoming: Receiver<DuplexStream>, delay: f64) {
    // One task owns the map; the connections send it their commands. It ends when every
    // `Sender` is gone: this loop's and every connection's.
    let (store, requests) = mpsc::channel(32);
    tokio::spawn(own_the_map(requests));
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(handle(connection, store.clone(), delay));
    }
}

/// The map's owner: carries out each command in the order they come, one at a time and at
/// once, so no lock is ever needed.
async fn own_the_map(mut requests: Receiver<Request>) {
    let mut map: HashMap<String, String> = HashMap::new();
    while let Some(Request { line, reply }) = requests.recv().await {
        let _ = reply.send(apply(&mut map, &line));
    }
}

/// Carries out one command on the map and gives its answer (without `\n`).
fn apply(map: &mut HashMap<String, String>, line: &str) -> String {
    let mut words = line.splitn(3, ' ');
    match (words.next(), words.next(), words.next()) {
        (Some("SET"), Some(key), Some(value)) => {
            map.insert(key.to_string(), value.to_string());
            "OK".to_string()
        }
        (Some("GET"), Some(key), None) => map.get(key).cloned().unwrap_or_else(|| "NONE".into()),
        _ => "ERROR".to_string(),
    }
}

/// Answers one client, line by line, until it closes its side or goes away.
async fn handle<S: AsyncRead + AsyncWrite + Unpin>(
    connection: S,
    store: Sender<Request>,
    delay: f64,
) {
    let (reader, mut writer) = tokio::io::split(connection);
    let mut lines = BufReader::new(reader).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        // The slow check comes first, while nothing shared is held.
        sleep(Duration::from_secs_f64(delay)).await;
        let (reply, answer) = oneshot::channel();
        if store.send(Request { line, reply }).await.is_err() {
            return;
        }
        let Ok(answer) = answer.await else { return };
        if writer
            .write_all(format!("{answer}\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}
