//! Mistake: awaits the four comprehensions one after another instead of together.
//! Lesson: measure_runtime
//! Headline: ran the four comprehensions one after another

use std::time::Duration;

use solutions::async_comprehension::async_comprehension;
use tokio::time::Instant;

/// 40 s instead of 10.
pub async fn measure_runtime() -> Duration {
    let start = Instant::now();
    for _ in 0..4 {
        async_comprehension().await;
    }
    start.elapsed()
}
