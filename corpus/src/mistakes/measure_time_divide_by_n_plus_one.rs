//! Mistake: divides the total time by n + 1 instead of by n (an off-by-one in the divisor).
//! Lesson: measure_time
//! Headline: divided by n + 1

use std::time::Duration;

use solutions::wait_n::wait_n;
use tokio::time::Instant;

/// Times wait_n on the right clock but divides by one call too many: at n = 100 the average
/// is only 1 % off, which a tolerance on the average alone would let through.
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    let start = Instant::now();
    wait_n(n, max_delay).await;
    start.elapsed() / (n as u32 + 1)
}
