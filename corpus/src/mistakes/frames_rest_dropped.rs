//! Mistake: takes one read for one message: parses the message at the start of what the
//! read brought and drops the rest, so a second message that came in the same read is lost
//! (TCP is a stream of bytes, not of messages: tokio's tutorial, "Framing", starts from this;
//! betrusted-io/xous-core#208 lost the rest of a read the same way).
//! Lesson: frames
//! Headline: the second message of a read was lost

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc::Receiver;

/// One read, one message.
pub async fn serve_frames(mut incoming: Receiver<DuplexStream>) {
    while let Some(mut connection) = incoming.recv().await {
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            loop {
                let n = match connection.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                let got = String::from_utf8_lossy(&buf[..n]).into_owned();
                let Some((len, rest)) = got.split_once(':') else {
                    continue;
                };
                let Ok(len) = len.parse::<usize>() else {
                    continue;
                };
                let text: String = rest
                    .chars()
                    .take(len)
                    .collect::<String>()
                    .replace('\n', " ");
                let reply = format!("{len} {text}\n");
                if connection.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}
