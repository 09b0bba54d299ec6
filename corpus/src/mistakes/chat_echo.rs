//! Mistake: writes every line the connection's receiver gets, its own client's included: a
//! `broadcast` receiver gets every value sent, so each client hears itself (tokio's own
//! `examples/chat.rs` sends "to every peer, except for the sender" for that reason).
//! Lesson: chat
//! Headline: echoed each line to its sender
//! Not: held back

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::mpsc::Receiver;

/// Serves a chat in which every client hears every line, its own too.
pub async fn serve_chat(mut incoming: Receiver<DuplexStream>, capacity: usize) {
    let (hub, _) = broadcast::channel::<String>(capacity);
    while let Some(connection) = incoming.recv().await {
        let hub = hub.clone();
        let mut inbox = hub.subscribe();
        tokio::spawn(async move {
            let (reader, mut writer) = tokio::io::split(connection);
            let mut lines = BufReader::new(reader).lines();
            loop {
                tokio::select! {
                    line = lines.next_line() => match line {
                        Ok(Some(line)) => { let _ = hub.send(line); }
                        Ok(None) | Err(_) => return,
                    },
                    said = inbox.recv() => {
                        let text = match said {
                            Ok(line) => format!("{line}\n"),
                            Err(RecvError::Lagged(missed)) => format!("(missed {missed})\n"),
                            Err(RecvError::Closed) => return,
                        };
                        if writer.write_all(text.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
    }
}
