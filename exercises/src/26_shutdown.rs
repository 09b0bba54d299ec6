//! # Lesson 26: cancellation safety and graceful shutdown
//!
//! A server does not run forever: it is deployed again, scaled down, told
//! to stop (Ctrl-C, a `SIGTERM` from the system). Stopping well is called a
//! **graceful shutdown**: take no new connections, let the requests already
//! received finish and be answered, close the connections that wait for
//! nothing, and only then return (and let the process exit). Returning at
//! once drops every task the runtime still holds: the client whose answer
//! was a moment away gets nothing. Lesson 19 stopped one worker between two
//! jobs; a server has a task per connection, each waiting on its client.
//!
//! **The signal.** `tokio_util::sync::CancellationToken` is a shutdown
//! signal many tasks can wait on: clone it into each task, and
//! `token.cancelled().await` finishes once someone calls `token.cancel()`
//! (here, the checker, at the case's time). `token.is_cancelled()` asks
//! without waiting. Each loop that waits for something (the loop that takes
//! connections, and each connection's loop that waits for its client's next
//! line) waits for the signal too, with `tokio::select!` (lesson 15): stop
//! when it comes.
//!
//! **Waiting for the tasks.** A server that spawns a task per connection
//! must wait for them before it returns. `tokio_util::task::TaskTracker`
//! is made for this: `tracker.spawn(fut)` spawns a task and counts it,
//! `tracker.close()` says no more will come, and `tracker.wait().await`
//! finishes once every task it spawned has ended. A `JoinSet` works too
//! (`while set.join_next().await.is_some() {}`), but mind that dropping a
//! `JoinSet` **aborts** every task in it: returning, or breaking out of a
//! scope, with the set still full cancels the requests in flight.
//!
//! **Cancellation safety.** When one branch of `select!` wins, the others'
//! futures are dropped: whatever they had half done is cancelled. A future
//! is *cancel safe* when dropping it loses nothing. tokio's documentation
//! says, method by method:
//!
//! - `lines.next_line()` (on `BufReader::new(r).lines()`) is cancel safe:
//!   the bytes of a line it had begun to read stay inside `Lines`, and the
//!   next call goes on from them. But you cannot see them there.
//! - `reader.read_until(b'\n', &mut buf)` is cancel safe too, and the bytes
//!   it read are appended to `buf`: keep `buf` outside the loop, and after
//!   the `select!` you can see whether a line was half read.
//! - `reader.read_line(&mut text)` is **not** cancel safe: if another branch
//!   wins while it is in the middle of a line, the bytes it had read are
//!   lost (tokio empties `text`; the next read starts halfway through the
//!   line). Never race it in a `select!`.
//!
//! ## What to write
//!
//! `serve_until(incoming, shutdown, delay)` serves every connection
//! `incoming` delivers, each in a task of its own, like lesson 20: each line
//! a client sends is answered `delay` seconds later with the same line in
//! capitals (and `\n`), in order. Until `shutdown` is cancelled. Then:
//!
//! - **No new connections.** Stop taking connections from `incoming` (drop
//!   it: a client that connects after the shutdown is never served, its
//!   connection is closed).
//! - **Each connection finishes what it is doing, then closes.** A line
//!   being answered is answered. A line the connection is halfway through
//!   reading (its first bytes came before the shutdown, the rest after) is
//!   read to its end and answered: a request that had begun is not lost.
//!   A connection waiting between lines closes at once. Lines the client
//!   sends after that are not read.
//! - **Return once every connection is closed**, not before: the call's
//!   return is the process's exit.
//!
//! For example, with `delay = 1` and the shutdown at 2.5 s: ann sent `two`
//! at 2 s and is answered at 3 s; ben, idle since 0.5 s, is closed at 2.5 s;
//! cal sent `hel` at 2.4 s and `lo` at 2.7 s, and is answered `HELLO` at
//! 3.7 s; dan, who connects at 2.8 s, is never served. The server returns at
//! 3.7 s:
//!
//! ```text
//!         0 s      2 s   2.5 s       3 s   3.7 s
//! ann     one ...  two     |          TWO                 in flight: answered
//! ben     hi               X                              idle: closed at once
//! cal              hel     |  lo             HELLO        half read: finished
//! dan                      |  (2.8 s) X                   after: never served
//!                       shutdown                  returns
//! ```
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                             | tokio                                                              |
//! |-----------------------------------------------------|--------------------------------------------------------------------|
//! | `stop = asyncio.Event()`; `stop.set()`              | `let token = CancellationToken::new()`; `token.cancel()`          |
//! | `await stop.wait()`; `stop.is_set()`                | `token.cancelled().await`; `token.is_cancelled()`                  |
//! | `server.close(); await server.wait_closed()`        | stop taking from `incoming` (drop it), then `tracker.wait().await`|
//! | `async with asyncio.TaskGroup() as tg: tg.create_task(...)` | `tracker.spawn(...)`, `tracker.close()`, `tracker.wait().await` (or a `JoinSet`, drained) |
//! | `await asyncio.wait({read, stop}, return_when=FIRST_COMPLETED)` | `tokio::select! { line = reader.read_until(...) => ..., () = token.cancelled() => ... }` |
//! | `reader.readline()` cancelled: its bytes stay in the `StreamReader` | `read_until` into a buffer that outlives the `select!` (not `read_line`) |
//!
//! ## The same code over TCP
//!
//! A real server waits for `tokio::signal::ctrl_c()` and cancels the token,
//! and takes its connections from a listener; `handle` is the same:
//!
//! ```text
//! let token = CancellationToken::new();
//! tokio::spawn({ let token = token.clone(); async move {
//!     let _ = tokio::signal::ctrl_c().await;
//!     token.cancel();
//! }});
//! loop {
//!     tokio::select! {
//!         () = token.cancelled() => break,
//!         accepted = listener.accept() => { let (c, _) = accepted?; tracker.spawn(handle(c, token.clone(), delay)); }
//!     }
//! }
//! ```
//!
//! ## What the checker looks at
//!
//! The checker plays the clients and cancels `shutdown` at each case's time.
//! A case ends when `serve_until` returns: like a process whose `main`
//! returns, the connections still open are closed then, and the tasks still
//! running end with it. It records every line each client receives, and
//! when, to the millisecond.
//!
//! - A request in flight at the shutdown is answered, and `serve_until`
//!   returns just after, not before and not much later.
//! - A client connecting after the shutdown is not served.
//! - A line half sent at the shutdown is answered whole.
//! - Clients over a slow link, their lines split in pieces (a hidden case).
//! - `std::thread::sleep`, `block_on` and `std::process::exit` are rejected.
//!   Each case runs in its own process, with no real network.

#[allow(unused_imports)]
use std::time::Duration;

use tokio::io::DuplexStream;
#[allow(unused_imports)]
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::Receiver;
#[allow(unused_imports)]
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;
#[allow(unused_imports)]
use tokio_util::task::TaskTracker;

/// Serves every connection `incoming` delivers, each in a task of its own, until `shutdown`
/// is cancelled: each line a client sends is answered, `delay` seconds later, with the same
/// line in capitals (and `\n`). At the shutdown it takes no more connections; each
/// connection finishes the line it is answering or halfway through reading, then closes.
/// Returns once every connection is closed.
#[allow(unused_variables)]
pub async fn serve_until(
    incoming: Receiver<DuplexStream>,
    shutdown: CancellationToken,
    delay: f64,
) {
    todo!()
}
