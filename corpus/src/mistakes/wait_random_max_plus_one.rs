//! Mistake: draws up to max_delay + 1, thinking the upper bound of a range is excluded.
//! Lesson: wait_random
//! Headline: more than max_delay

use std::time::Duration;

use tokio::time::sleep;

/// Delays can exceed max_delay by up to a second.
pub async fn wait_random(max_delay: u64) -> f64 {
    let delay = rand::random_range(0.0..=(max_delay + 1) as f64);
    sleep(Duration::from_secs_f64(delay)).await;
    delay
}
