//! Lesson 20, a line server: every connection in its own task: the reference solution.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;
use tokio::time::sleep;

/// Serves every connection `incoming` delivers, each in a task of its own: each line a client
/// sends is answered, `delay` seconds later, with the same line in capitals. A connection
/// ends when its client closes its side (or drops it); the server returns once `incoming` is
/// closed, leaving the connections it still serves to their tasks.
pub async fn serve_lines(mut incoming: Receiver<DuplexStream>, delay: f64) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(handle(connection, delay));
    }
}

/// Answers one client, line by line, until it closes its side. Generic over the transport:
/// a `TcpStream` serves as well as the course's in-memory pipe.
async fn handle<S: AsyncRead + AsyncWrite + Unpin>(connection: S, delay: f64) {
    let (reader, mut writer) = tokio::io::split(connection);
    let mut lines = BufReader::new(reader).lines();
    // `Ok(None)`: the client closed its side. `Err`: it went away. Either ends this task only.
    while let Ok(Some(line)) = lines.next_line().await {
        sleep(Duration::from_secs_f64(delay)).await;
        let reply = format!("{}\n", line.to_uppercase());
        if writer.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
    // Dropping both halves closes the connection: the client reads the end of the file.
}
