//! Lesson 7, measuring async code on tokio's clock: the reference solution.

use std::time::Duration;

use tokio::time::Instant;

use crate::wait_n::wait_n;

/// Times `wait_n(n, max_delay)` and returns the average time per call
/// (`Duration::ZERO` when `n == 0`).
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    // `tokio::time::Instant` follows the runtime's clock, including the paused,
    // auto-advancing one used for grading; `std::time::Instant` would read ~0.
    let start = Instant::now();
    wait_n(n, max_delay).await;
    let total = start.elapsed();

    // No calls, no average: `total / 0` would panic, so report zero instead.
    if n == 0 {
        return Duration::ZERO;
    }
    // Divide in nanoseconds: `Duration / u32` would need `n` to fit in a u32.
    // The quotient is at most `total`, so it fits back into a u64.
    Duration::from_nanos((total.as_nanos() / n as u128) as u64)
}
