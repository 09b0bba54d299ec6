//! Mistake: divides by n without handling n = 0, so measure_time(0, ..) panics.
//! Lesson: measure_time
//! Headline: divided by zero

use std::time::Duration;

use solutions::wait_n::wait_n;
use tokio::time::Instant;

/// Right for every n but 0, where `Duration / 0` panics ("divide by zero").
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    let start = Instant::now();
    wait_n(n, max_delay).await;
    start.elapsed() / n as u32
}
