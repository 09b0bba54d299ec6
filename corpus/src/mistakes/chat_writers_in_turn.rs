//! Mistake: keeps every client's write half in an `Arc<Mutex<Vec<..>>>` and writes each line
//! to each client in turn, under the lock: the chat of asyncio tutorials (`for writer in
//! writers: writer.write(..); await writer.drain()`) carried over, in which a client slow to
//! read holds the line, the lock and every other client back.
//! Lesson: chat
//! Headline: ben was held back by sam, who was slow to read
//! Not: echoed

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::Mutex;
use tokio::sync::mpsc::Receiver;

type Writers = Arc<Mutex<Vec<(usize, WriteHalf<DuplexStream>)>>>;

/// Serves a chat by writing each line to every other client, one after the other.
pub async fn serve_chat(mut incoming: Receiver<DuplexStream>, _capacity: usize) {
    let writers: Writers = Arc::default();
    let mut number = 0;
    while let Some(connection) = incoming.recv().await {
        let me = number;
        number += 1;
        let (reader, writer) = tokio::io::split(connection);
        writers.lock().await.push((me, writer));
        let writers = Arc::clone(&writers);
        tokio::spawn(async move {
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let text = format!("{line}\n");
                for (other, writer) in writers.lock().await.iter_mut() {
                    if *other != me {
                        let _ = writer.write_all(text.as_bytes()).await;
                    }
                }
            }
            // Leaving: its write half goes, which closes the connection.
            writers.lock().await.retain(|(other, _)| *other != me);
        });
    }
}
