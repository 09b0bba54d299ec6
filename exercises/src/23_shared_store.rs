//! # Lesson 23: shared state across connections
//!
//! The server of lesson 20 served each client on its own: nothing one client
//! said mattered to another. Most servers keep **state shared by every
//! connection**: a chat room, a cache, a key-value store. Every connection
//! has its task (lesson 20), and every task must reach the same state, while
//! each goes on at its own pace.
//!
//! There are two right ways in tokio, and both are common in real servers:
//!
//! - **A task that owns the state** (an *actor*). One task holds the
//!   `HashMap` and nothing else touches it; the connections send it their
//!   commands over an `mpsc` channel (lesson 17), each with a
//!   `tokio::sync::oneshot::Sender` for its answer, and await the
//!   `oneshot::Receiver`. The owner carries out one command at a time, so
//!   there is nothing to lock. It ends when every `Sender` has been dropped.
//! - **A lock.** `Arc<Mutex<HashMap<..>>>`, the `Arc` cloned into each
//!   connection's task. Lock, read or change the map, and let the guard go
//!   at once: **never hold a guard across a slow `.await`**. Every other
//!   connection that needs the map waits for as long as you hold it. A
//!   `std::sync::Mutex` is right when the guard never crosses an `.await`
//!   (tokio's own tutorial uses it so); holding its guard across one does not
//!   even compile in a spawned task (the guard is not `Send`). A
//!   `tokio::sync::Mutex` (`lock().await`) may be held across an `.await`,
//!   which is why it is the one that lets you make the mistake: it compiles,
//!   and serves the clients one at a time.
//!
//! The other classic mistake is state that is not shared at all: a map made
//! inside each connection's task (or a `Mutex` made there, around a map of
//! its own) is a map per client. Make the state once, before the loop that
//! takes connections, and hand each task its share (a clone of the `Sender`,
//! or of the `Arc`).
//!
//! ## What to write
//!
//! `serve_store(incoming, delay)` serves a key-value store over the line
//! protocol of lesson 20, to every connection `incoming` delivers, all of
//! them sharing one map of text to text:
//!
//! - `SET key value` stores `value` under `key` and is answered `OK`. The
//!   value is the rest of the line, spaces included: `SET color dark blue`
//!   stores `dark blue`.
//! - `GET key` is answered with the value stored under `key`, or `NONE`.
//! - Any other line is answered `ERROR`.
//!
//! Each answer ends with `\n`. Each command is first checked, which takes
//! `delay` seconds (think of checking the client's rights), and then carried
//! out on the map and answered at once. A client's commands are answered in
//! order. Return once `incoming` is closed; the tasks go on serving.
//!
//! For example, with `delay = 1`: ann sets `color` at 0 s; ben, who comes at
//! 2 s, asks for it and gets it at 3 s. ann and ben sending a command each
//! at 0 s are both answered at 1 s. Holding a lock across the check makes
//! ben wait for ann's:
//!
//! ```text
//!            0 s        1 s        2 s
//! ann  --SET a 1-------->OK                      the check outside the lock:
//! ben  --SET b 2-------->OK                      both answered at 1 s
//!
//! ann  --SET a 1-------->OK                      a lock held across the check:
//! ben  --SET b 2--------[waits]------>OK         ben's turn comes at 1 s
//! ```
//!
//! ## From asyncio to tokio
//!
//! asyncio runs on one thread and a coroutine is only interrupted at an
//! `await`, so a module-level `dict` shared by every `handle` is safe as long
//! as no `await` falls between reading and writing it. tokio's tasks may run
//! on several threads, so Rust asks you to say how the state is shared.
//!
//! | asyncio                                        | tokio                                                          |
//! |------------------------------------------------|----------------------------------------------------------------|
//! | `store = {}` at module level                   | one `HashMap` owned by one task, or `Arc<Mutex<HashMap<..>>>`   |
//! | `store[key] = value` in `handle`               | `store.send(Request { line, reply }).await`, then `answer.await` |
//! | `async with lock:` (`asyncio.Lock`)            | `let guard = map.lock().await;` (`tokio::sync::Mutex`), dropped at the end of its block |
//! | `future = loop.create_future()`; `await future` | `let (reply, answer) = oneshot::channel();` ... `answer.await` |
//!
//! ## What the checker looks at
//!
//! The checker plays the clients, as in lesson 20, and records each answer
//! and when it arrived, to the millisecond.
//!
//! - What one client sets, another client reads: the state is shared.
//! - A client that stays connected does not lock the others out.
//! - Two clients whose commands come together are answered together: no
//!   command waits for another's check.
//! - Clients over a slow link, their lines split in pieces, setting and
//!   reading the same key (a hidden case).
//! - `std::thread::sleep` and `block_on` are rejected. Each case runs in its
//!   own process, with no real network.

#[allow(unused_imports)]
use std::collections::HashMap;
#[allow(unused_imports)]
use std::time::Duration;

use tokio::io::DuplexStream;
#[allow(unused_imports)]
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::Receiver;
#[allow(unused_imports)]
use tokio::sync::{mpsc, oneshot};
#[allow(unused_imports)]
use tokio::time::sleep;

/// Serves a key-value store to every connection `incoming` delivers, each in a task of its
/// own, all of them sharing one map: `SET key value` stores `value` (the rest of the line)
/// and is answered `OK`; `GET key` is answered with the value, or `NONE`; any other line
/// with `ERROR`. Each command is checked for `delay` seconds, then carried out at once and
/// answered (with `\n`). Returns once `incoming` is closed (`recv` gives `None`).
#[allow(unused_variables)]
pub async fn serve_store(incoming: Receiver<DuplexStream>, delay: f64) {
    todo!()
}
