//! Mistake: divides the total time by max_delay instead of by n.
//! Lesson: measure_time
//! Headline: divided by max_delay

use std::time::Duration;

use solutions::wait_n::wait_n;
use tokio::time::Instant;

/// The wrong divisor.
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    let start = Instant::now();
    wait_n(n, max_delay).await;
    start.elapsed() / max_delay as u32
}
