//! Mistake: imports std::time with a glob, so `Instant` is std::time::Instant, which reads
//! the wall clock instead of tokio's.
//! Lesson: measure_time
//! Headline: uses `std::time::Instant

use std::time::*;

use solutions::wait_n::wait_n;

/// Reads the wall clock, which barely moves while tokio's paused clock jumps.
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    if n == 0 {
        return Duration::ZERO;
    }
    let start = Instant::now();
    wait_n(n, max_delay).await;
    start.elapsed() / n as u32
}
