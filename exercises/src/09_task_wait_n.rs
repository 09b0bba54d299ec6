//! # Lesson 9: collecting spawned tasks in completion order
//!
//! This is lesson 6 again, built from lesson 8's handles this time. The key is
//! to *start everything first, then wait*. If you spawned one task and awaited
//! its handle before spawning the next, only one timer would ever be running,
//! and `n` waits would take the sum of their delays. Spawn all `n` tasks first.
//! Their timers then run side by side, and the total is the longest delay.
//!
//! A `JoinHandle` is itself a future, so the tools from lesson 6 work on
//! handles too. Collect the handles into a
//! `futures::stream::FuturesUnordered`. Used as a stream (`StreamExt`), it
//! yields each handle's `Result<f64, JoinError>` as soon as that task finishes,
//! which is completion order again. Awaiting the handles one by one *in spawn
//! order* would still take only the longest delay (the tasks are already
//! running), but the results would come back in spawn order, not ascending.
//!
//! Deal with the `Result` of each handle: a task that panicked gives
//! `Err(JoinError)`. Turn it into a panic of your own (for example with
//! `.expect(..)`) rather than silently dropping a value.
#![doc = include_str!("../pictures/09_task_wait_n.md")] // the right shape, drawn: exercises/pictures/09_task_wait_n.md
//! ## What to write
//!
//! `task_wait_n(n, max_delay)` calls
//! `crate::task_wait_random::task_wait_random(max_delay)` `n` times, then
//! returns the `n` delays in the order the tasks completed (ascending, without
//! sorting). It prints nothing. `n = 0` gives an empty `Vec`.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                  | tokio / futures                                  |
//! |------------------------------------------|--------------------------------------------------|
//! | `[task_wait_random(d) for _ in range(n)]` | `n` calls of `task_wait_random(d)`, collected  |
//! | `asyncio.as_completed(tasks)`            | `FuturesUnordered` of handles + `StreamExt::next` / `collect` |
//! | `await task`                             | `handle.await` → `Result<f64, JoinError>`        |
//!
//! ## What the checker looks at
//!
//! - The values: `n` of them, each within `0.0..=max_delay`.
//! - The order: the order in which the timers fired. Sorting is rejected.
//! - The total time on the virtual clock: the largest delay. It jumps to the
//!   next timer, so grading is instant, even for many thousands of tasks.
//! - That `task_wait_random` is what starts the waits.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use futures::StreamExt;
#[allow(unused_imports)]
use futures::stream::FuturesUnordered;

#[allow(unused_imports)]
use crate::task_wait_random::task_wait_random;

/// Spawns [`task_wait_random`] `n` times and returns the delays in the order
/// the tasks completed (ascending, without sorting).
#[allow(unused_variables)]
pub async fn task_wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    todo!()
}
