//! # Lesson 25: CPU work off the runtime
//!
//! Every server so far spent its time *waiting*: for a line, for a timer,
//! for a lock. Waiting is what async code is good at: a task that waits
//! gives the thread back, and the runtime runs another. Some requests need
//! the thread itself instead: hashing a password, compressing a file,
//! resizing an image. That is **CPU-bound work**, and it never waits, so it
//! never gives the thread back.
//!
//! tokio runs every task on a few threads (here, one). While a task computes,
//! the thread is busy, and **every other task waits**: every other
//! connection, every timer. A server that computes a 2-second digest inside
//! its task answers nobody else for 2 seconds, not even a `ping`. `.await`
//! does not help: there is nothing to await in a computation.
//!
//! The way out is to run the computation **on another thread** and await
//! its result. `tokio::task::spawn_blocking(closure)` runs `closure` on a
//! thread of tokio's *blocking pool* and returns a `JoinHandle`; awaiting it
//! waits like any other future, while the runtime's thread goes on serving.
//! Two clients asking for a digest at once are computed on two threads, side
//! by side. (`std::thread::spawn` with a channel works too, but the pool
//! reuses its threads; for long CPU-heavy pipelines, the `rayon` crate is
//! the usual next step.)
//!
//! Three classic mistakes besides computing in the task:
//!
//! - `tokio::spawn(async move { digest(&text) })`: a spawned task runs on
//!   the runtime's threads like any other, so it holds the thread just the
//!   same. `spawn` is for work that *waits*.
//! - `tokio::task::block_in_place(|| ...)` tells a *multi-threaded* runtime
//!   to move its other tasks to another worker. On a current-thread runtime
//!   (the one `#[tokio::main(flavor = "current_thread")]` builds, and the
//!   checker's) there is no other worker: it panics. (This course's tokio
//!   has no multi-threaded runtime, so here it does not even compile.)
//! - Putting the work on the blocking pool, then awaiting it inside the loop
//!   that takes connections: the work runs on another thread, but the next
//!   client is not even accepted until it is done.
//!
//! ## What to write
//!
//! `serve_digests(incoming, digest)` serves every connection `incoming`
//! delivers, each in a task of its own (lesson 20), line by line:
//!
//! - `ping` is answered `pong` at once.
//! - `digest TEXT` is answered with `digest(TEXT)`, the value the slow
//!   function `digest` returns for the rest of the line.
//! - Any other line is answered `error`.
//!
//! Each answer ends with `\n`. A client's lines are answered in order.
//! `digest` is a plain function, `fn(&str) -> String`: call it on the
//! blocking pool (`spawn_blocking(move || digest(&text))`, with `text` an
//! owned `String` the closure can keep) and await the handle. A
//! `fn` pointer is `Copy` and `'static`, so each task can take its own.
//! Return once `incoming` is closed; the tasks go on serving.
//!
//! For example, when a digest takes 2 s: ann asks for one at 0 s, ben sends
//! `ping` at 0.5 s. ben is answered at 0.5 s, ann at 2 s. Computing in the
//! task makes ben wait for ann's digest:
//!
//! ```text
//!            0 s    0.5 s             2 s
//! ann  --digest a----------------------->af63...   on the blocking pool:
//! ben           --ping->pong                       ben answered at once
//!
//! ann  --digest a----------------------->af63...   in the task:
//! ben           --ping------------------>pong      ben waits for ann's digest
//! ```
//!
//! ## From asyncio to tokio
//!
//! asyncio has the same problem and the same cure: a coroutine that
//! computes holds the event loop, and the computation goes to a thread pool.
//!
//! | asyncio                                                 | tokio                                               |
//! |---------------------------------------------------------|-----------------------------------------------------|
//! | `await asyncio.to_thread(digest, text)`                 | `spawn_blocking(move \|\| digest(&text)).await`      |
//! | `await loop.run_in_executor(None, digest, text)`        | the same: tokio's blocking pool is the default executor |
//! | `run_in_executor(ProcessPoolExecutor(), ...)` for pure-Python CPU work | not needed: Rust threads run in parallel, there is no GIL |
//! | `concurrent.futures` result: `await` it                 | the `JoinHandle`: `.await` gives `Result<T, JoinError>` |
//!
//! ## What the checker looks at
//!
//! The checker plays the clients, as in lesson 20, and records each answer
//! and when it arrived, to the millisecond. It also hands you `digest`: a
//! function that takes a set time (its *cost*, 2 s in most cases) on the
//! checker's clock, and records which thread it ran on and when.
//!
//! - A `ping` sent while a digest is computed is answered at once.
//! - Two digests asked at once are computed side by side: both are ready
//!   when one would be.
//! - A client that asks for several digests gets them in order.
//! - A hidden case mixes clients, digests and pings.
//! - `std::thread::sleep` and `block_on` are rejected. Each case runs in its
//!   own process, with no real network.

use tokio::io::DuplexStream;
#[allow(unused_imports)]
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::Receiver;

/// Serves every connection `incoming` delivers, each in a task of its own, line by line:
/// `ping` is answered `pong` at once; `digest TEXT` with `digest(TEXT)`, computed off the
/// runtime's thread (`tokio::task::spawn_blocking`) so that every other client is served
/// meanwhile; any other line with `error`. Each answer ends with `\n`. Returns once
/// `incoming` is closed (`recv` gives `None`).
#[allow(unused_variables)]
pub async fn serve_digests(incoming: Receiver<DuplexStream>, digest: fn(&str) -> String) {
    todo!()
}
