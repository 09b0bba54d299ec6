//! Mistake: draws from the half-open range `0.0..max` (as random.uniform is usually
//! translated), which panics with "cannot sample empty range" when max_delay is 0.
//! From: <https://github.com/rust-random/rand/issues/1091> "gen_range compiling but doesn't run" (cannot sample empty range)
//! Lesson: wait_random
//! Headline: drew from an empty range

use std::time::Duration;
use tokio::time::sleep;

/// The mistake, as a student wrote it (see the header).
pub async fn wait_random(max_delay: u64) -> f64 {
    let delay: f64 = rand::random_range(0.0..max_delay as f64);
    sleep(Duration::from_secs_f64(delay)).await;
    delay
}
