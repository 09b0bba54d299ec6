//! Mistake: sleeps Duration::from_secs(delay as u64), cutting the wait to whole seconds, but returns the float.
//! Lesson: wait_random
//! Headline: whole seconds only

use std::time::Duration;

use tokio::time::sleep;

/// Sleeps 3 s for a delay of 3.7 and still reports 3.7.
pub async fn wait_random(max_delay: u64) -> f64 {
    let delay = rand::random_range(0.0..=max_delay as f64);
    sleep(Duration::from_secs(delay as u64)).await;
    delay
}
