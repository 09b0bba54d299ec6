//! # Lesson 24: a broadcast chat: every line to every other client
//!
//! In lesson 23 each client asked and was answered. In a chat, what one
//! client says goes to **all the others**, whenever it comes: a connection
//! must write lines it never asked for, while it waits for its own client to
//! speak. Two things happen at once in each connection's task, so it waits on
//! both with `tokio::select!` (lesson 15): a line from its client
//! (`lines.next_line()`), or a line said by someone else.
//!
//! `tokio::sync::broadcast` carries the lines: one `Sender`, cloned into
//! every connection's task, and one `Receiver` per client, made with
//! `sender.subscribe()` when the client connects. Every receiver gets every
//! value sent after it subscribed (values must be `Clone`), including the
//! lines of its own client: send each line with its sender's number, and let
//! a connection skip its own. Both `next_line` and `Receiver::recv` are
//! cancel safe: the branch of `select!` that loses the race loses nothing.
//!
//! The channel holds the last `capacity` lines (tokio rounds `capacity` up
//! to a power of two; the checker's cases use powers of two). A client that reads slowly
//! (a phone on a bad link) makes its connection's writes wait, and its
//! receiver falls behind. The channel does not wait for it: that would hold
//! every other client back. Instead the slow receiver loses the oldest lines,
//! and its next `recv()` says how many: `Err(RecvError::Lagged(n))`. That is
//! not the end of the chat. Tell the client what it missed and go on; the
//! next `recv()` gives the oldest line still held. Only
//! `Err(RecvError::Closed)` means no line will ever come again (every
//! `Sender` is gone). So a loop `while let Ok(line) = inbox.recv().await`,
//! or a `?` on `recv()`, drops the slowest client from the chat at the first
//! lag.
//!
//! The tempting alternative to a broadcast channel is a list of every
//! client's write half, `Arc<Mutex<Vec<..>>>`, and a loop that writes each
//! line to each client in turn. Then a client slow to read holds the lock,
//! and the line, and every client after it in the list, for as long as it
//! does not read. With a channel, each client is written to by its own task,
//! and waits only for itself.
//!
//! ## What to write
//!
//! `serve_chat(incoming, capacity)` serves a chat to every connection
//! `incoming` delivers:
//!
//! - Each line a client sends reaches every other client connected at that
//!   moment, as it was sent (with `\n`), and not its sender. A client hears
//!   only what is said after it connected.
//! - Use a `broadcast` channel of `capacity` lines. A client that falls
//!   behind by more than that is sent `(missed N)` (with `\n`), `N` the
//!   number of lines it lost, and then the lines still held, and goes on.
//! - A client leaves when it closes its side (or goes away): its task ends
//!   and drops its connection. Return once `incoming` is closed.
//!
//! For example, with `capacity = 2`: ann says five lines, at 1 s to 5 s; ben
//! hears each as it is said; sam reads nothing until 6 s, and then hears the
//! first line (written to him at 1 s, waiting in his link), `(missed 2)`, and
//! the last two:
//!
//! ```text
//!          1 s    2 s    3 s    4 s    5 s    6 s
//! ann      one    two    three  four   five
//! ben      one    two    three  four   five              each its own task
//! sam      .      .      .      .      .      one (missed 2) four five
//!
//! ben      .      .      .      .      .      one two three four five
//!                                              a loop writing to sam, then ben
//! ```
//!
//! ## From asyncio to tokio
//!
//! asyncio has no broadcast channel: a chat server keeps a set of writers
//! and writes to each, and a slow client is handled by `await
//! writer.drain()` on each in turn (which holds the others back too), or by
//! a `asyncio.Queue(maxsize)` per client whose `put_nowait` raises
//! `QueueFull` for a slow one.
//!
//! | asyncio                                          | tokio                                                  |
//! |--------------------------------------------------|--------------------------------------------------------|
//! | `clients = set()`; `for w in clients: w.write(line)` | `let (hub, _) = broadcast::channel(capacity);` `hub.send((me, line))` |
//! | a queue per client                               | `let mut inbox = hub.subscribe();` `inbox.recv().await` |
//! | `asyncio.wait({read, get}, return_when=FIRST_COMPLETED)` | `tokio::select! { line = lines.next_line() => .., said = inbox.recv() => .. }` |
//! | `QueueFull` for a slow client                    | `Err(RecvError::Lagged(n))`: `n` lines missed, go on    |
//!
//! ## What the checker looks at
//!
//! The checker plays the clients, records every line each receives, and
//! when, to the millisecond. Some of them read slowly: they read nothing
//! until a time, and their link holds only a few bytes, so that what the
//! server writes to them waits.
//!
//! - Each line reaches every other client when it is said, and not its
//!   sender.
//! - A client slow to read does not hold back the others.
//! - A client that fell behind is told what it missed, gets the lines still
//!   held, and hears what is said later.
//! - Clients over a slow link, their lines split in pieces, one joining
//!   late (a hidden case).
//! - `std::thread::sleep` and `block_on` are rejected. Each case runs in its
//!   own process, with no real network.

use tokio::io::DuplexStream;
#[allow(unused_imports)]
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
#[allow(unused_imports)]
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::mpsc::Receiver;

/// Serves a chat to every connection `incoming` delivers, each in a task of its own: each
/// line a client sends reaches every other client connected at the time, not its sender,
/// through a `broadcast` channel of `capacity` lines. A client that falls behind is sent
/// `(missed N)` for the `N` lines it lost, and goes on. A connection ends when its client
/// closes its side. Returns once `incoming` is closed (`recv` gives `None`).
#[allow(unused_variables)]
pub async fn serve_chat(incoming: Receiver<DuplexStream>, capacity: usize) {
    todo!()
}
