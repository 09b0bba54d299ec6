//! Mistake: draws and sleeps a number of milliseconds, and returns that number as if it were
//! seconds: 1000 times the delay slept.
//! Lesson: wait_random
//! Headline: a unit mix-up
//! Not: return the very delay you slept

use std::time::Duration;

use tokio::time::sleep;

/// Milliseconds slept, returned as seconds.
pub async fn wait_random(max_delay: u64) -> f64 {
    let millis = rand::random_range(0..=max_delay * 1000);
    sleep(Duration::from_millis(millis)).await;
    millis as f64
}
