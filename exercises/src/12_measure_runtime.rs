//! # Lesson 12: four streams side by side
//!
//! One `async_comprehension()` takes 10 s, and nearly all of it is spent
//! sleeping. Run four of them one after another and you wait 40 s. Run them
//! *concurrently* and their sleeps overlap, so all four finish together after
//! about 10 s. This is the payoff of the whole course: when the work is mostly
//! waiting, running things concurrently costs almost no extra time.
//!
//! `tokio::join!(a, b, c, d)` awaits a fixed number of futures at once, on the
//! current task, and returns a tuple of their outputs. (For a list whose size
//! you only know at run time, use `futures::future::join_all` from lesson 2.)
//! No spawning is needed: `join!` polls all four futures in turn, and whenever
//! one of them is sleeping, the others get to run.
//!
//! Time it the same way as in lesson 7: take `tokio::time::Instant::now()`
//! before and read `elapsed()` after. `std::time::Instant` would not see the
//! paused test clock.
//!
//! Why about 10 s rather than exactly 10 s? On a real clock there is a little
//! overhead. On tokio's paused clock the four timers of each round fire on the
//! same tick, so the result is exactly 10 s.
#![doc = include_str!("../pictures/12_measure_runtime.md")] // the right shape, drawn: exercises/pictures/12_measure_runtime.md
//! ## What to write
//!
//! `measure_runtime()` runs `crate::async_comprehension::async_comprehension()`
//! four times concurrently (with `tokio::join!` or `join_all`) and returns the
//! total elapsed time, measured with `tokio::time::Instant`. It prints nothing.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                  | tokio / futures                              |
//! |------------------------------------------|----------------------------------------------|
//! | `asyncio.gather(*(async_comprehension() for _ in range(4)))` | `tokio::join!(f(), f(), f(), f())` or `join_all` |
//! | `time.perf_counter()`                    | `tokio::time::Instant::now()` / `elapsed()`  |
//!
//! ## What the checker looks at
//!
//! - The value returned, compared with the virtual time that really passed:
//!   about 10 s. Running the four one after another gives 40 s and fails. A
//!   measure taken with `std::time::Instant` reads about 0 and fails.
//! - That `async_comprehension` is what runs. The clock jumps to the next
//!   timer, so the 10 s are graded instantly. Each case runs in its own process.

use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::Instant;

#[allow(unused_imports)]
use crate::async_comprehension::async_comprehension;

/// Runs [`async_comprehension`] four times concurrently and returns the total
/// time they took, measured on tokio's clock (about 10 seconds).
pub async fn measure_runtime() -> Duration {
    todo!()
}
