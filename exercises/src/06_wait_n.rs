//! # Lesson 6: many waits at once, results in completion order
//!
//! Start `n` random waits at the same time and collect their delays *as they
//! finish*. Since the waits all start together, the shortest one finishes
//! first, the next shortest second, and so on. The list therefore comes out
//! ascending without ever being sorted. Concurrency does the sorting for you.
//! The total time is the longest delay, not the sum of all of them.
//!
//! `join_all` from lesson 2 won't do here, because it returns results in
//! *input* order. You need a collection that gives results back in *completion*
//! order:
//!
//! - `tokio::task::JoinSet`: `set.spawn(fut)` starts each future as a task, and
//!   then `while let Some(res) = set.join_next().await { ... }` hands back
//!   whichever task finishes next. Each `res` is a `Result<f64, JoinError>`,
//!   because a task can panic.
//! - Or `futures::stream::FuturesUnordered`: collect the futures into it, then
//!   use it as a stream (`StreamExt::next` / `collect`), which yields each
//!   output as soon as it is ready, all on the current task.
//!
//! `JoinSet::spawn` has the same needs as `tokio::spawn`: a `'static + Send`
//! future. `wait_random(max_delay)` owns its `u64`, so it is fine.
//!
//! Why not just `.sort()` at the end? You would get the same numbers, but you
//! would be hiding the point of the lesson, and the checker would notice.
#![doc = include_str!("../pictures/06_wait_n.md")] // the right shape, drawn: exercises/pictures/06_wait_n.md
//! ## What to write
//!
//! `wait_n(n, max_delay)` runs `crate::wait_random::wait_random(max_delay)` `n`
//! times concurrently (call it: do not copy its body here), and returns the `n`
//! delays in the order they completed. It prints nothing. `n = 0` gives an
//! empty `Vec`.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                            | tokio / futures                               |
//! |------------------------------------|-----------------------------------------------|
//! | `asyncio.gather(*coros)`           | `join_all(futs)` (input order)                |
//! | `asyncio.as_completed(coros)`      | `JoinSet::join_next`, or `FuturesUnordered` (completion order) |
//! | `[... for _ in range(n)]`          | `for _ in 0..n { ... }` or `(0..n).map(...)`  |
//!
//! ## What the checker looks at
//!
//! - The values: `n` of them, each within `0.0..=max_delay`.
//! - The order: the order in which the timers actually fired. Sorting a
//!   sequential or `join_all` result is rejected.
//! - The total time on the virtual clock: the largest delay, not the sum.
//!   Large `n` (many thousands of waits) must still be quick. The clock jumps
//!   to the next timer, so grading is instant.
//! - That `wait_random` is the function doing the waiting.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use tokio::task::JoinSet;

#[allow(unused_imports)]
use crate::wait_random::wait_random;

/// Runs [`wait_random`] `n` times concurrently and returns the delays in the
/// order they completed (ascending, without sorting).
#[allow(unused_variables)]
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    todo!()
}
