//! Mistake: reads the messages as lines, which holds until a message has a line break
//! inside: the framing is the length, not the line (tokio-rs/tokio#791, "LinesCodec does not
//! handle newlines in frames"; replit/river#51 moved to length-prefixed frames for this).
//! Lesson: frames
//! Headline: read the messages as lines

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::Receiver;

/// One line, one message.
pub async fn serve_frames(mut incoming: Receiver<DuplexStream>) {
    while let Some(connection) = incoming.recv().await {
        tokio::spawn(async move {
            let (reader, mut writer) = tokio::io::split(connection);
            let mut lines = BufReader::new(reader).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let Some((len, text)) = line.split_once(':') else {
                    continue;
                };
                let reply = format!("{len} {text}\n");
                if writer.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}
