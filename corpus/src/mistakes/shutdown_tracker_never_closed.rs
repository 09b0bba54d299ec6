//! Mistake: does everything right but `tracker.close()`: `TaskTracker::wait` returns only
//! once the tracker is both closed and empty (its docs: "Waits until this `TaskTracker` is
//! both closed and empty"; a tracker stays open so that tasks may still be spawned on it), so
//! the server waits for ever after its last connection ended.
//! Lesson: shutdown
//! Headline: returns only once the tracker is closed and empty
//! Not: loop that takes connections never stopped

use std::time::Duration;

use tokio::io::DuplexStream;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::Receiver;
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Serves every connection `incoming` delivers, each in a task of its own, until `shutdown`
/// is cancelled: each line a client sends is answered, `delay` seconds later, with the same
/// line in capitals (and `\n`). At the shutdown the server takes no more connections, and
/// each connection finishes the line it is in the middle of (read whole, or begun: its first
/// bytes arrived) and closes. Returns once every connection is closed.
pub async fn serve_until(
    mut incoming: Receiver<DuplexStream>,
    shutdown: CancellationToken,
    delay: f64,
) {
    let tracker = TaskTracker::new();
    loop {
        let connection = tokio::select! {
            // The shutdown first: a connection that comes with it is not taken.
            biased;
            () = shutdown.cancelled() => break,
            connection = incoming.recv() => match connection {
                Some(connection) => connection,
                None => break,
            },
        };
        tracker.spawn(handle(connection, shutdown.clone(), delay));
    }
    drop(incoming);
    // Never closed: `wait` waits for a tracker that is closed *and* empty.
    tracker.wait().await;
}

/// Answers one client, line by line, until it closes its side or the shutdown comes; then
/// finishes the line it had begun to read. Generic over the transport: a `TcpStream` serves
/// as well as the course's in-memory pipe.
async fn handle<S: AsyncRead + AsyncWrite + Unpin>(
    connection: S,
    shutdown: CancellationToken,
    delay: f64,
) {
    let (reader, mut writer) = tokio::io::split(connection);
    let mut reader = BufReader::new(reader);
    // Outlives each `select!`: `read_until` is cancel safe, the bytes of a line it was in the
    // middle of stay here when the shutdown wins.
    let mut line = Vec::new();
    loop {
        let stopping = tokio::select! {
            read = reader.read_until(b'\n', &mut line) => match read {
                Ok(0) | Err(_) => return,
                Ok(_) => false,
            },
            () = shutdown.cancelled() => true,
        };
        if stopping {
            if line.is_empty() {
                // Between two lines: nothing in flight.
                return;
            }
            // Halfway through a line: read it to its end, then answer it.
            if reader.read_until(b'\n', &mut line).await.is_err() {
                return;
            }
        }
        sleep(Duration::from_secs_f64(delay)).await;
        let text = String::from_utf8_lossy(&line);
        let reply = format!("{}\n", text.trim_end_matches(['\n', '\r']).to_uppercase());
        line.clear();
        if writer.write_all(reply.as_bytes()).await.is_err() || shutdown.is_cancelled() {
            return;
        }
    }
}
