//! Mistake: spawns the four comprehensions as tasks and returns the time at once, without
//! awaiting any of them.
//! Lesson: measure_runtime
//! Headline: started the comprehensions as tasks but returned before they finished
//! Not: std::time::Instant

use std::time::Duration;

use solutions::async_comprehension::async_comprehension;
use tokio::time::Instant;

/// The tasks run on their own; nothing waits for them.
pub async fn measure_runtime() -> Duration {
    let start = Instant::now();
    for _ in 0..4 {
        tokio::spawn(async_comprehension());
    }
    start.elapsed()
}
