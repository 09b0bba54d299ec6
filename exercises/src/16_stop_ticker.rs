//! # Lesson 16: stop a task
//!
//! Lessons 14 and 15 cancelled futures by dropping them. A *task* is
//! different. `tokio::spawn` hands the future to the runtime, which runs it
//! on its own, and gives you a `JoinHandle`. The handle is a receipt, not the
//! task: dropping it *detaches* the task, which runs on to its end, or
//! forever. That is the same in asyncio, where a task you lose track of keeps
//! running.
//!
//! To stop a task, call `handle.abort()`. Like asyncio's `task.cancel()`, it
//! only *asks*: the task stops at its next `.await`, the next time the runtime
//! would poll it, and the code after that `.await` never runs. To know that
//! it has stopped, and how, await the handle. `handle.await` gives a
//! `Result<T, JoinError>`: `Ok(value)` if the task finished before the abort
//! reached it, `Err(error)` otherwise, with `error.is_cancelled()` true for an
//! aborted task (and `error.is_panic()` true for a task that panicked).
//! asyncio raises `CancelledError` when you await a cancelled task; tokio
//! hands you the `JoinError` as a value.
//!
//! (For tasks that should stop *cleanly*, finishing what they are doing, a
//! task can watch a signal instead: `tokio_util::sync::CancellationToken`, or
//! a channel. `abort` is the tool for a task that may stop anywhere.)
//!
//! ## What to write
//!
//! `ticker()` prints `tick 1`, `tick 2`, ... one per second, the first after
//! one second, and never returns. Write it as a loop around a one-second
//! `sleep`.
//!
//! `stop_ticker(stop)` spawns `ticker()` as a task, sleeps `stop` seconds,
//! stops the task, and returns what its handle reports once it has stopped:
//! `Err(JoinError)`, a cancelled one. For example, `stop_ticker(3.5)` prints
//! `tick 1` at 1 s, `tick 2` at 2 s, `tick 3` at 3 s, returns at 3.5 s, and no
//! tick is ever printed again.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                   | tokio                                         |
//! |-------------------------------------------|-----------------------------------------------|
//! | `task = asyncio.create_task(ticker())`    | `let handle = tokio::spawn(ticker());`        |
//! | `task.cancel()`                           | `handle.abort();`                             |
//! | `try: await task` / `except CancelledError` | `handle.await` gives `Err(e)`, `e.is_cancelled()` |
//! | losing the task object: it keeps running  | dropping the handle: the task keeps running   |
//!
//! ## What the checker looks at
//!
//! - The ticks: exactly one per whole second before `stop`, each at its
//!   second on the virtual clock.
//! - None after the stop: the checker lets more virtual time pass after the
//!   call returns, and no `tick` may come.
//! - The call returns at `stop`, with the handle's `Err(JoinError)`, a
//!   cancelled one: proof that the task was stopped, not just forgotten.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::task::JoinError;
#[allow(unused_imports)]
use tokio::time::sleep;

/// Prints `tick 1`, `tick 2`, ... one second apart, the first after one
/// second, forever.
pub async fn ticker() {
    todo!()
}

/// Runs [`ticker`] as a task for `stop` seconds, then stops it and returns
/// what its handle reports once it has stopped: `Err(JoinError)`, cancelled.
#[allow(unused_variables)]
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    todo!()
}
