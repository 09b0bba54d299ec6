//! Mistake: treats every error of `recv()` as the end of the chat (`let Ok(..) = .. else {
//! return }`), so the first `RecvError::Lagged` drops a slow client from it, where tokio's
//! `broadcast` documentation says a lagging receiver goes on ("the lagging receiver's
//! position is updated to the oldest value contained by the channel. The next call to `recv`
//! will return this value").
//! Lesson: chat
//! Headline: dropped sam from the chat when he fell behind
//! Not: held back

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::broadcast;
use tokio::sync::mpsc::Receiver;

/// Serves a chat whose connections end at their first lag.
pub async fn serve_chat(mut incoming: Receiver<DuplexStream>, capacity: usize) {
    let (hub, _) = broadcast::channel::<(usize, String)>(capacity);
    let mut number = 0;
    while let Some(connection) = incoming.recv().await {
        let me = number;
        number += 1;
        let hub = hub.clone();
        let mut inbox = hub.subscribe();
        tokio::spawn(async move {
            let (reader, mut writer) = tokio::io::split(connection);
            let mut lines = BufReader::new(reader).lines();
            loop {
                tokio::select! {
                    line = lines.next_line() => match line {
                        Ok(Some(line)) => { let _ = hub.send((me, line)); }
                        Ok(None) | Err(_) => return,
                    },
                    said = inbox.recv() => {
                        let Ok((from, line)) = said else { return };
                        if from != me && writer.write_all(format!("{line}\n").as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
    }
}
