//! Mistake: reads the length right, then the message with one `read` into a buffer of its
//! length, which returns what has arrived so far: a message that comes in pieces is
//! answered in part (RustCrypto/formats#876: "Read::read is not guaranteed to fill the whole
//! output buffer"; pszturmaj/ddb#2 and neondatabase/neon#66 met it on real sockets).
//! Lesson: frames
//! Headline: answered part of a message

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;

/// `read` where `read_exact` is needed.
pub async fn serve_frames(mut incoming: Receiver<DuplexStream>) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(async move {
            let (reader, mut writer) = tokio::io::split(connection);
            let mut reader = BufReader::new(reader);
            let mut header = Vec::new();
            loop {
                header.clear();
                match reader.read_until(b':', &mut header).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let digits = String::from_utf8_lossy(&header)
                    .trim_end_matches(':')
                    .to_string();
                let Ok(len) = digits.parse::<usize>() else {
                    return;
                };
                let mut message = vec![0; len];
                let Ok(n) = reader.read(&mut message).await else {
                    return;
                };
                let text = String::from_utf8_lossy(&message[..n]).replace('\n', " ");
                let reply = format!("{len} {text}\n");
                if writer.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}
