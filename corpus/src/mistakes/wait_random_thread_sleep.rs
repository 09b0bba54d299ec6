//! Mistake: waits with std::thread::sleep, blocking the executor for the whole delay.
//! Lesson: wait_random
//! Headline: uses `std::thread::sleep`

use std::time::Duration;

/// Blocks the thread: no other task can run, and tokio's clock does not move.
pub async fn wait_random(max_delay: u64) -> f64 {
    let delay = rand::random_range(0.0..=max_delay as f64);
    std::thread::sleep(Duration::from_secs_f64(delay));
    delay
}
