//! Mistake: returns the total time of wait_n, forgetting to divide it by n.
//! Lesson: measure_time
//! Headline: instead of the time per call

use std::time::Duration;

use solutions::wait_n::wait_n;
use tokio::time::Instant;

/// The total, not the average.
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    let start = Instant::now();
    wait_n(n, max_delay).await;
    start.elapsed()
}
