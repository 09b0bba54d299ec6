//! Lesson 24, a broadcast chat: the reference solution.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::mpsc::Receiver;

/// A line said in the chat, with the number of the connection that said it.
type Said = (usize, String);

/// Serves a chat to every connection `incoming` delivers, each in a task of its own: each
/// line a client sends reaches every other client connected at the time (not its sender),
/// through a `broadcast` channel of `capacity` lines. A client that falls more than
/// `capacity` lines behind is sent `(missed N)` for the `N` lines it lost, and goes on. A
/// client's connection ends when it closes its side. Returns once `incoming` is closed.
pub async fn serve_chat(mut incoming: Receiver<DuplexStream>, capacity: usize) {
    let (hub, _) = broadcast::channel::<Said>(capacity);
    let mut number = 0;
    while let Some(connection) = incoming.recv().await {
        // Subscribed now: the client hears every line said from the moment it connected.
        let inbox = hub.subscribe();
        tokio::spawn(handle(connection, number, hub.clone(), inbox));
        number += 1;
    }
}

/// One client: what it says goes to the hub, what the others say comes from its inbox.
async fn handle<S: AsyncRead + AsyncWrite + Unpin>(
    connection: S,
    me: usize,
    hub: broadcast::Sender<Said>,
    mut inbox: broadcast::Receiver<Said>,
) {
    let (reader, mut writer) = tokio::io::split(connection);
    let mut lines = BufReader::new(reader).lines();
    loop {
        // Both are cancel safe: the one that loses the race loses nothing.
        tokio::select! {
            line = lines.next_line() => match line {
                // No one listening is not an error: the line is simply not heard.
                Ok(Some(line)) => { let _ = hub.send((me, line)); }
                // The client closed its side, or went away: it leaves the chat.
                Ok(None) | Err(_) => return,
            },
            said = inbox.recv() => {
                let text = match said {
                    Ok((from, _)) if from == me => continue,
                    Ok((_, line)) => format!("{line}\n"),
                    // This client fell behind: the oldest lines are gone. Say so, go on.
                    Err(RecvError::Lagged(missed)) => format!("(missed {missed})\n"),
                    Err(RecvError::Closed) => return,
                };
                if writer.write_all(text.as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    }
}
