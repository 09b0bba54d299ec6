//! # Lesson 7: measuring async code, on the right clock
//!
//! To time a piece of code, take an `Instant` before it, run it, and read
//! `start.elapsed()` afterwards. There are two `Instant` types, though, and
//! only one of them is right here:
//!
//! - `std::time::Instant` reads the operating system's clock.
//! - `tokio::time::Instant` reads the *runtime's* clock, the same one that
//!   `tokio::time::sleep` uses.
//!
//! Usually the two agree. In tests, however (and in this checker), tokio's
//! clock can be *paused*. Whenever every task is waiting, the runtime jumps
//! the clock straight to the next timer instead of actually waiting. A 10 s
//! sleep then passes in microseconds of real time, yet reads as exactly 10 s on
//! tokio's clock. `std::time::Instant` knows nothing about this, so it would
//! measure almost 0. Always time async code with `tokio::time::Instant`. It
//! has the same API (`now`, `elapsed`, `duration_since`).
//!
//! Then divide the total by `n` to get the average time per call. `Duration`
//! supports `/ u32` (convert `n`), or you can work in `as_nanos()` /
//! `as_secs_f64()`. What about `n = 0`? Python's version raises
//! `ZeroDivisionError`, and Rust's `Duration / 0` panics ("divide by zero").
//! There are no calls, so there is nothing to average: return
//! `Duration::ZERO` instead of panicking.
//!
//! ## What to write
//!
//! `measure_time(n, max_delay)` takes `tokio::time::Instant::now()`, awaits
//! `crate::wait_n::wait_n(n, max_delay)`, reads the elapsed time, and returns
//! `elapsed / n`. When `n == 0` it returns `Duration::ZERO`. It prints nothing.
//!
//! ## From asyncio to tokio
//!
//! | Python                                 | tokio                                   |
//! |----------------------------------------|-----------------------------------------|
//! | `start = time.time()` (or `perf_counter()`) | `let start = tokio::time::Instant::now();` |
//! | `time.time() - start`                  | `start.elapsed()` → `Duration`          |
//! | `asyncio.run(wait_n(n, max_delay))`    | `wait_n(n, max_delay).await`            |
//! | `total / n`                            | `total / n as u32` (after checking `n > 0`) |
//!
//! ## What the checker looks at
//!
//! - The value, compared with the virtual time that `wait_n` really took,
//!   divided by `n`. A measure taken with `std::time::Instant` reads about 0
//!   and fails.
//! - `n = 0`: returns `Duration::ZERO` without panicking.
//! - That `wait_n` is what you measured. The virtual clock jumps to the next
//!   timer, so grading is instant. Each case runs in its own process.

use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::Instant;

#[allow(unused_imports)]
use crate::wait_n::wait_n;

/// Measures the total time of `wait_n(n, max_delay)` on tokio's clock and
/// returns it divided by `n` (`Duration::ZERO` when `n == 0`).
#[allow(unused_variables)]
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    todo!()
}
