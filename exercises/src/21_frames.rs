//! # Lesson 21: framing: messages of a stated length, however the stream cuts them
//!
//! A connection carries bytes, not messages. What one `read` returns is
//! whatever has arrived: half a message, a message and a half, three
//! messages at once. The network cuts the stream where it likes (packets,
//! buffers, a slow link), and the cuts change from run to run. Finding where
//! each message starts and ends is *framing*, and it is the reader's job.
//!
//! Lesson 20 framed its messages with line breaks, which works while a
//! message never holds one. The other common way is to say the length first:
//! here a message is its length in bytes (in decimal), a `:`, then exactly
//! that many bytes, which may be anything, line breaks included.
//! `11:hello` + line break + `world` is one message of 11 bytes.
//!
//! To read one, wrap the reading half in a `BufReader`. It keeps what a read
//! brought beyond what you asked for, so nothing is lost when two messages
//! come together. `reader.read_until(b':', &mut header).await` reads up to and
//! including the `:`, however many reads that takes (it gives 0 when the
//! client closed its side before a new message). Then
//! `reader.read_exact(&mut message).await`, into a buffer of the length,
//! waits for exactly that many bytes. Plain `read` would return what has
//! arrived so far, maybe a piece of the message. Write each reply whole, in one
//! `write_all`, so that it is never mixed with another.
//!
//! In asyncio the same reads are `await reader.readuntil(b":")` and
//! `await reader.readexactly(n)` on the `StreamReader` of a connection.
//! Production code often leaves framing to `tokio_util::codec`: a `Decoder`
//! turns a byte buffer into messages, and `FramedRead` runs it on a stream
//! (`LinesCodec` for lines, `LengthDelimitedCodec` for a binary length
//! prefix). It does what you write here by hand.
//!
//! ## What to write
//!
//! `serve_frames(incoming)` serves every connection from `incoming` in a task
//! of its own, as in lesson 20. For each message a client sends, it answers
//! at once with one line: the length, a space, and the message with each line
//! break replaced by a space, then `\n`. `5:hello` is answered `5 hello`;
//! `11:hello` + line break + `world` is answered `11 hello world`. A
//! connection's task ends when its client closes its side.
//!
//! ```text
//!   what the client wrote:  5:hello6:world!         what one read may bring:
//!                                                    "5:hel"  "lo6:wo"  "rld!"
//!   the messages:           [5:hello] [6:world!]
//!   the answers:            "5 hello\n" "6 world!\n"
//! ```
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                  | tokio                                                       |
//! |------------------------------------------|-------------------------------------------------------------|
//! | `header = await reader.readuntil(b":")`  | `reader.read_until(b':', &mut header).await` on a `BufReader` |
//! | `data = await reader.readexactly(n)`     | `reader.read_exact(&mut buffer_of_n_bytes).await`           |
//! | `data = await reader.read(n)` (up to n)  | `reader.read(&mut buffer).await` (what has arrived, up to n) |
//! | `writer.write(reply); await writer.drain()` | `writer.write_all(reply).await`                          |
//!
//! ## What the checker looks at
//!
//! The checker plays the clients and records every byte each receives, and
//! when. It delivers their messages whole, with line breaks inside, several
//! in one write, and split into pieces of one or two bytes (where the cuts
//! fall is drawn from the case's seed, the same on every run with the same
//! seed).
//!
//! - Each answer, and when: at once, as the last byte of its message arrives.
//! - Nothing more: no answer to half a message, none lost.
//! - Several clients over a slow link, with messages split and joined (a
//!   hidden case).
//! - `std::thread::sleep` and `block_on` are rejected. Each case runs in its
//!   own process, with no real network.

use tokio::io::DuplexStream;
#[allow(unused_imports)]
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::Receiver;

/// Serves every connection `incoming` delivers, each in a task of its own. A client sends
/// messages, each framed as its length in bytes (decimal), a `:`, and that many bytes; each is
/// answered at once with one line: the length, a space, and the message with its line breaks
/// as spaces (`11:hello\nworld` is answered `11 hello world\n`). Returns once `incoming` is
/// closed.
#[allow(unused_variables)]
pub async fn serve_frames(incoming: Receiver<DuplexStream>) {
    todo!()
}
