//! Mistake: draws a whole number of seconds (an integer range) and converts it to f64.
//! Lesson: wait_random
//! Headline: whole numbers

use std::time::Duration;

use tokio::time::sleep;

/// Only 0, 1, 2, ... max_delay can come out: never 2.5 s.
pub async fn wait_random(max_delay: u64) -> f64 {
    let delay = rand::random_range(0..=max_delay) as f64;
    sleep(Duration::from_secs_f64(delay)).await;
    delay
}
