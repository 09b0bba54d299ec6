//! # Lesson 22: a client that retries: timeout, backoff, and a budget
//!
//! Lessons 20 and 21 were servers; this one is a client, and the checker
//! plays the servers. A client talks to a server it does not control: the
//! server may refuse the connection (it is restarting), accept it and never
//! answer (it is stuck), or answer late. A good client bounds each attempt
//! with a **timeout**, waits before trying again with a **backoff** that
//! grows after each failure (so that a struggling server is not hammered by
//! clients retrying in a tight loop), and gives up after a **budget** of
//! attempts (so that its own caller is not held forever).
//!
//! `tokio::time::timeout(duration, future)` (lesson 14) bounds an attempt:
//! put the *whole* attempt under it, connecting, sending and reading the
//! answer, since a server can be stuck at any of them. Between attempts,
//! `sleep(pause)`, then double `pause`: 1 s, 2 s, 4 s, ... (exponential
//! backoff). Count the attempts, and after the last one give up at once:
//! there is no point pausing when no attempt is left. (Production clients
//! also add *jitter*, a random part of the pause, so that many clients do not
//! retry in step; crates such as `backon` or `tokio-retry` package all this.
//! Here the pauses are exact, so the checker can time them.)
//!
//! The function gets `connect`, which opens one connection each time it is
//! called: `connect().await` gives `Ok(connection)` or an error (refused). It
//! is an async closure, `impl AsyncFnMut() -> std::io::Result<DuplexStream>`:
//! over TCP you would pass `async || TcpStream::connect(address).await`. The
//! connection is tokio's `AsyncRead` + `AsyncWrite`, as in lesson 20.
//!
//! In asyncio the same client is `await asyncio.wait_for(attempt(), wait)`
//! in a loop, with `await asyncio.sleep(pause)` between attempts, and
//! `asyncio.open_connection(host, port)` to connect.
//!
//! ## What to write
//!
//! `fetch_with_retry(connect, request, wait, backoff, tries)` sends `request`
//! as a line (`request` and `\n`) and returns the first line of the answer
//! (without its `\n`). Each attempt (connect, send, read one line) gets at
//! most `wait` seconds. An attempt fails when the connection is refused, the
//! server closes it without answering, or `wait` runs out. After a failed
//! attempt, pause `backoff` seconds, doubling the pause after each failure,
//! and try again, up to `tries` attempts in all. When the last one fails,
//! return `Err(format!("gave up after {tries} tries"))` at once.
//!
//! For example, `wait = 2`, `backoff = 1`, `tries = 4`, against a server that
//! refuses twice and then answers:
//!
//! ```text
//!  0 s        1 s             3 s
//!  refused    refused         connected, "ping" sent ... "pong" at 3.2 s
//!  |-pause 1-||----pause 2----|
//! ```
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                       | tokio                                                   |
//! |-----------------------------------------------|---------------------------------------------------------|
//! | `await asyncio.wait_for(attempt(), wait)`     | `timeout(Duration::from_secs_f64(wait), attempt).await` |
//! | `except asyncio.TimeoutError`                 | `Err(Elapsed)`                                          |
//! | `await asyncio.sleep(pause); pause *= 2`      | `sleep(pause).await; pause *= 2;`                       |
//! | `reader, writer = await asyncio.open_connection(...)` | `let connection = connect().await?;` and `tokio::io::split` |
//!
//! ## What the checker looks at
//!
//! The checker plays the servers: the client's first attempt reaches the
//! first, the second the next, and so on; each refuses, stays silent, or
//! answers at a given time. It records when each attempt began and every
//! byte each server received.
//!
//! - What the call returns, and when, to the millisecond.
//! - When each attempt began: the pauses between them (1 s, then 2 s, ...).
//! - That each attempt sent the request.
//! - That a silent server is given up on after `wait`, and that the client
//!   stops after `tries` attempts, without a last pause.
//! - A slow link with a refusal, a silence and an answer (a hidden case).
//! - `std::thread::sleep` and `block_on` are rejected. Each case runs in its
//!   own process, with no real network.

#[allow(unused_imports)]
use std::time::Duration;

use tokio::io::DuplexStream;
#[allow(unused_imports)]
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
#[allow(unused_imports)]
use tokio::time::{sleep, timeout};

/// Sends `request` (a line) and returns the first line of the answer. Each attempt (connect,
/// send, read the answer) gets `wait` seconds; a failed attempt is followed by a pause of
/// `backoff` seconds, doubled after each failure, and the next attempt, up to `tries` attempts
/// in all. After the last one fails, returns `Err("gave up after {tries} tries")` at once.
#[allow(unused_variables)]
pub async fn fetch_with_retry(
    connect: impl AsyncFnMut() -> std::io::Result<DuplexStream>,
    request: &str,
    wait: f64,
    backoff: f64,
    tries: u32,
) -> Result<String, String> {
    todo!()
}
