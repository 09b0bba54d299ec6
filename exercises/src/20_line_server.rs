//! # Lesson 20: a line server: every connection in its own task
//!
//! Part four of the course is about I/O: servers and clients that talk over
//! connections. A connection is a stream of bytes each way. tokio reads one
//! with the `AsyncRead` trait and writes with `AsyncWrite`; the methods you
//! call come from their extension traits (`AsyncReadExt`, `AsyncWriteExt`,
//! `AsyncBufReadExt`), all in `tokio::io`. A `TcpStream` is one; so is the
//! `DuplexStream` the checker hands you: one end of an in-memory pipe, whose
//! other end is held by a client the checker plays. Code written against the
//! traits serves both alike (see "The same code over TCP" below).
//!
//! A server waits for connections and serves each one. Serving takes time:
//! the client sends a line, thinks, sends another, and all the while other
//! clients arrive. So each connection gets **a task of its own**: the loop
//! that takes connections hands each one to `tokio::spawn` and goes straight
//! back to waiting for the next. In asyncio, `asyncio.start_server(handle,
//! ...)` does that for you (it runs `handle` in a new task per client); in
//! tokio you write the loop and the `spawn` yourself. Awaiting the work of a
//! connection inside the loop instead serves one client at a time: the next
//! one waits until this one leaves.
//!
//! In the task, read the connection **line by line** as the lines come:
//! `BufReader::new(reader).lines()` and `lines.next_line().await`, which
//! gives `Ok(Some(line))` for each line, `Ok(None)` when the client closed its
//! side (it sent all it will send), and `Err` when the connection broke.
//! Reading everything first (`read_to_string`) waits for the client to close,
//! so a client that waits for its answer before it goes never gets one. Split
//! the connection in two with `tokio::io::split(connection)` to read with
//! one half and write with the other, and write each reply whole with
//! `write_all` (a `BufWriter` around the write half keeps what you write until
//! `flush().await`: flush after each reply, or the client waits for nothing).
//! When the client closes or goes away, the task ends and drops
//! its connection, which closes it: the client reads the end. One client
//! going away must end its own task only, never the server.
//!
//! ## What to write
//!
//! `serve_lines(incoming, delay)` takes connections from `incoming` (a
//! channel: `incoming.recv().await` gives the next one, and `None` once no
//! more will come; then the function returns, and the tasks it spawned go on
//! serving their clients). Each line a client sends is answered `delay`
//! seconds later (think of a lookup that takes that long) with the same line
//! in capitals, ending with `\n`: `hello\n` is answered `HELLO\n`. A client's
//! lines are answered in order, one after the other.
//!
//! For example, with `delay = 1`, ann and ben connect at 0 s, each sends a
//! line, and each gets the answer at 1 s. Served one at a time, ben would wait:
//!
//! ```text
//!            0 s        1 s        2 s
//! ann  ------hello------>HELLO                   each connection its own task:
//! ben  ------hi--------->HI                      both answered at 1 s
//!
//! ann  ------hello------>HELLO                   one connection at a time:
//! ben  ------hi---------------------->HI         ben waits for ann to leave
//! ```
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                          | tokio                                                        |
//! |--------------------------------------------------|--------------------------------------------------------------|
//! | `await asyncio.start_server(handle, host, port)` | `while let Some(c) = incoming.recv().await { tokio::spawn(handle(c)); }` (over TCP: `listener.accept().await`) |
//! | `async def handle(reader, writer)`               | `async fn handle(c: impl AsyncRead + AsyncWrite + Unpin)`, `tokio::io::split(c)` |
//! | `line = await reader.readline()`                 | `lines.next_line().await` on `BufReader::new(reader).lines()` |
//! | `if not line: break` (end of file)               | `Ok(None)`                                                   |
//! | `writer.write(data); await writer.drain()`       | `writer.write_all(data).await`                               |
//! | `writer.close(); await writer.wait_closed()`     | drop the connection (or `writer.shutdown().await`)           |
//!
//! ## The same code over TCP
//!
//! Nothing here is made for the checker. A real server takes its
//! connections from a `TcpListener` and hands each to the same `handle`:
//!
//! ```text
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:7000").await?;
//! loop {
//!     let (connection, _address) = listener.accept().await?;
//!     tokio::spawn(handle(connection, delay));
//! }
//! ```
//!
//! Write `handle` generic over the transport
//! (`S: AsyncRead + AsyncWrite + Unpin`) and it serves a `TcpStream` and a
//! `DuplexStream` alike.
//!
//! ## What the checker looks at
//!
//! The checker plays the clients: when each connects, what it sends and when,
//! when it closes its side or goes away. It records every byte each client
//! receives, with the time it arrived on the virtual clock.
//!
//! - The lines each client receives, and when, to the millisecond: clients
//!   that connect together are answered together.
//! - A client that stays connected does not hold back one that comes later.
//! - A client that goes away before its answer ends its own task only: the
//!   next client is served as usual.
//! - Clients whose lines arrive split in pieces, or several at once, over a
//!   slow link (a hidden case).
//! - When the call ends: once every client has read the end of its
//!   connection (the server closed each connection when its client was done).
//! - `std::thread::sleep` and `block_on` are rejected. Each case runs in its
//!   own process, with no real network: the connections are in memory.

#[allow(unused_imports)]
use std::time::Duration;

use tokio::io::DuplexStream;
#[allow(unused_imports)]
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::Receiver;
#[allow(unused_imports)]
use tokio::time::sleep;

/// Serves every connection `incoming` delivers, each in a task of its own: each line a client
/// sends is answered, `delay` seconds later, with the same line in capitals (and `\n`). A
/// connection's task ends when its client closes its side or goes away. Returns once
/// `incoming` is closed (`recv` gives `None`).
#[allow(unused_variables)]
pub async fn serve_lines(incoming: Receiver<DuplexStream>, delay: f64) {
    todo!()
}
