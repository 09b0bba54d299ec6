//! Mistake: always waits half of max_delay instead of a random delay.
//! Lesson: wait_random
//! Headline: the delay is not random

use std::time::Duration;

use tokio::time::sleep;

/// The same delay every time.
pub async fn wait_random(max_delay: u64) -> f64 {
    let delay = max_delay as f64 / 2.0;
    sleep(Duration::from_secs_f64(delay)).await;
    delay
}
