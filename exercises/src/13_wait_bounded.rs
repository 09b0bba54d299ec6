//! # Lesson 13: bounded concurrency, at most `limit` waits at a time
//!
//! Running everything at once is not always allowed. A server accepts ten
//! connections per client, an API a few requests per second, a machine so
//! many open files. You then want *some* concurrency, with a limit: at most
//! `limit` operations in flight, and the next one starting as soon as one
//! finishes.
//!
//! The tool for this is a semaphore: a counter of free slots. Before its
//! work, each operation acquires a *permit*, waiting while none is free. It
//! holds the permit while it works, and the slot frees up when the permit is
//! dropped. In tokio, `Semaphore::new(limit)` creates one, and
//! `semaphore.acquire().await` waits for a permit. That gives a
//! `Result<SemaphorePermit, _>`, an error only if the semaphore was closed.
//! Waiting tasks get their permits in the order they asked for them, first
//! come first served.
//!
//! To share the semaphore with spawned tasks, put it in an `Arc` and give each
//! task a clone. `Arc::clone(&semaphore).acquire_owned().await` gives a permit
//! that owns its share of the semaphore and can live in a `'static` task.
//!
//! Watch how long the permit lives. `let _permit = ...;` keeps it until the
//! end of the block. `let _ = ...;` drops it *at once*: the slot is free again
//! before the wait even starts, and there is no limit at all.
//!
//! A tempting shortcut is to cut the list into batches of `limit` and await
//! each batch with `join_all`. It respects the limit, but each batch waits for
//! its slowest member while the other slots stand idle. The semaphore starts
//! the next wait the moment any slot frees up.
#![doc = include_str!("../pictures/13_wait_bounded.md")] // the right shape, drawn: exercises/pictures/13_wait_bounded.md
//! ## What to write
//!
//! `wait_bounded(delays, limit)` sleeps each of the `delays` (in seconds),
//! with at most `limit` sleeps running at any moment. It starts them in the
//! order given, each one as soon as a slot is free. It returns the delays in
//! the order the sleeps *finished*. It prints nothing. `limit` is at least 1.
//! No delays give an empty `Vec`, at once.
//!
//! For example, `delays = [3, 1, 2.5, 2]` with `limit = 2` starts 3 and 1 at
//! 0 s. When 1 finishes at 1 s, 2.5 starts. When 3 finishes at 3 s, 2 starts.
//! 2.5 finishes at 3.5 s and 2 at 5 s. The result is `[1, 3, 2.5, 2]`, after
//! 5 s.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                | tokio                                                   |
//! |----------------------------------------|---------------------------------------------------------|
//! | `sem = asyncio.Semaphore(limit)`       | `let sem = Arc::new(Semaphore::new(limit));`            |
//! | `async with sem: await asyncio.sleep(d)` | `let _permit = sem.acquire().await?; sleep(..).await;` |
//! | `asyncio.as_completed(coros)`          | `JoinSet::join_next`, or `FuturesUnordered`             |
//!
//! ## What the checker looks at
//!
//! - The values: the delays, in the order they finished.
//! - The total time on the virtual clock. It must be what `limit` slots give,
//!   exactly: not the longest delay (no limit), not the sum (one at a time),
//!   not the sum of each batch's slowest (batches).
//! - `limit = 1` runs the sleeps one after another, and a `limit` above the
//!   number of delays runs them all at once.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use std::sync::Arc;
#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::sync::Semaphore;
#[allow(unused_imports)]
use tokio::task::JoinSet;
#[allow(unused_imports)]
use tokio::time::sleep;

/// Sleeps each of `delays` (seconds), at most `limit` at a time, and returns
/// the delays in the order the sleeps finished.
#[allow(unused_variables)]
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    todo!()
}
