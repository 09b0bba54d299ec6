//! Lesson 21, framing: messages of a stated length, however the stream cuts them: the
//! reference solution.

use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream,
};
use tokio::sync::mpsc::Receiver;

/// Serves every connection `incoming` delivers, each in a task of its own. A client sends
/// messages, each framed as its length in bytes (decimal), a `:`, and that many bytes; each is
/// answered with one line: the length, a space, and the message with its line breaks as spaces
/// (`11:hello\nworld` is answered `11 hello world\n`). Returns once `incoming` is closed.
pub async fn serve_frames(mut incoming: Receiver<DuplexStream>) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(handle(connection));
    }
}

/// Answers one client's messages until it closes its side or sends something that is not a
/// message.
async fn handle<S: AsyncRead + AsyncWrite + Unpin>(connection: S) {
    let (reader, mut writer) = tokio::io::split(connection);
    // The buffer keeps what one read brought beyond the current message for the next one.
    let mut reader = BufReader::new(reader);
    let mut header = Vec::new();
    loop {
        header.clear();
        // The length, up to the `:`, however many reads it takes; 0 bytes: the client is done.
        match reader.read_until(b':', &mut header).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let Some(len) = header
            .strip_suffix(b":")
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| digits.parse::<usize>().ok())
        else {
            return;
        };
        // Exactly `len` bytes, however they were cut.
        let mut message = vec![0; len];
        if reader.read_exact(&mut message).await.is_err() {
            return;
        }
        let text = String::from_utf8_lossy(&message).replace('\n', " ");
        // The reply written whole, in one `write_all`.
        let reply = format!("{len} {text}\n");
        if writer.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}
