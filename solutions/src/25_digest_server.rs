//! Lesson 25, CPU work off the runtime: the reference solution.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;

/// Serves every connection `incoming` delivers, each in a task of its own: `ping` is answered
/// `pong` at once, `digest TEXT` with `digest(TEXT)`, computed on tokio's blocking pool so
/// that the runtime's thread goes on serving everyone else meanwhile; any other line with
/// `error`. Returns once `incoming` is closed.
pub async fn serve_digests(mut incoming: Receiver<DuplexStream>, digest: fn(&str) -> String) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(handle(connection, digest));
    }
}

/// Answers one client, line by line, until it closes its side. Generic over the transport:
/// a `TcpStream` serves as well as the course's in-memory pipe.
async fn handle<S: AsyncRead + AsyncWrite + Unpin>(connection: S, digest: fn(&str) -> String) {
    let (reader, mut writer) = tokio::io::split(connection);
    let mut lines = BufReader::new(reader).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let reply = if line == "ping" {
            "pong".to_string()
        } else if let Some(text) = line.strip_prefix("digest ") {
            let text = text.to_string();
            // The slow part runs on a thread of tokio's blocking pool; this task waits for
            // it like for any other future, and every other task runs meanwhile.
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
            return;
        }
    }
}
