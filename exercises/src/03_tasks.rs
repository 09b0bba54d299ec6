//! # Lesson 3: background tasks with `tokio::spawn`
//!
//! With `join_all` (lesson 2), *you* drive the futures: they only make progress
//! while you are awaiting the `join_all`. Sometimes you would rather start a
//! job, go off and do something else, and collect the result later. That is
//! what a *task* is for.
//!
//! `tokio::spawn(fut)` hands `fut` over to the runtime, which from then on runs
//! it as an independent task, alongside your own code. `spawn` returns straight
//! away with a `JoinHandle<T>`, a kind of receipt. Awaiting the handle waits
//! for the task to finish and gives you `Ok(value)`, or `Err(JoinError)` if the
//! task panicked or was cancelled. The task keeps running even if nobody awaits
//! the handle yet. That is the difference from a plain future, which does
//! nothing until it is awaited.
//!
//! The timeline you will build:
//!
//! ```text
//! 0 s  Performing other operations    (you)
//! 0 s  Start fetching data            (the task, once you start sleeping)
//! 1 s  Still working...               (you)
//! 2 s  Done fetching data             (the task)
//! 2 s  Result: 123                    (you, after awaiting the handle)
//! ```
//!
//! The two timers overlap, so the whole thing takes 2 s, not 1 + 2 = 3 s.
//!
//! A spawned future must be `'static` (it cannot borrow your local variables)
//! and `Send` (it may be moved to another thread on a multi-threaded runtime).
//! `fetch_data()` owns everything it needs, so it qualifies.
#![doc = include_str!("../pictures/03_tasks.md")] // the right shape, drawn: exercises/pictures/03_tasks.md
//! ## What to write
//!
//! - `fetch_data()` prints `Start fetching data`, sleeps 2 seconds, prints
//!   `Done fetching data`, and returns `123`.
//! - `fetch_in_background()` spawns `fetch_data()` with `tokio::spawn`, prints
//!   `Performing other operations`, sleeps 1 second, prints `Still working...`,
//!   awaits the task's `JoinHandle`, then prints `Result: {value}` (that is,
//!   `Result: 123`).
//!
//! ## From asyncio to tokio
//!
//! | asyncio                      | tokio                                      |
//! |------------------------------|--------------------------------------------|
//! | `asyncio.create_task(coro)`  | `tokio::spawn(fut)` → `JoinHandle<T>`      |
//! | `result = await task`        | `let result = handle.await` → `Result<T, JoinError>` |
//! | `asyncio.sleep(2)`           | `tokio::time::sleep(Duration::from_secs(2))` |
//!
//! ## What the checker looks at
//!
//! - The value returned by `fetch_data`.
//! - The lines printed and *when* each one appears on the virtual clock (it
//!   jumps to the next timer, so the 2 s are graded instantly), as in the
//!   timeline above.
//! - The total time of `fetch_in_background`: 2 s. Awaiting `fetch_data()`
//!   directly instead of spawning it gives 3 s.
//! - Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::sleep;

/// Prints `Start fetching data`, sleeps 2 seconds, prints `Done fetching data`
/// and returns `123`.
pub async fn fetch_data() -> u32 {
    todo!()
}

/// Spawns [`fetch_data`] as a task, keeps busy for 1 second, then awaits the
/// task and prints `Result: 123`. About 2 seconds in total.
pub async fn fetch_in_background() {
    todo!()
}
