//! Mistake: draws from 1.0..=max_delay, so delays under one second never happen.
//! Lesson: wait_random
//! Headline: does not start at 0

use std::time::Duration;

use tokio::time::sleep;

/// The range starts at 1 (and is empty, so panics, for max_delay = 0).
pub async fn wait_random(max_delay: u64) -> f64 {
    let delay = rand::random_range(1.0..=max_delay as f64);
    sleep(Duration::from_secs_f64(delay)).await;
    delay
}
