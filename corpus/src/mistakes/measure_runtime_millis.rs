//! Mistake: turns the measured milliseconds into seconds: the result is 1000 times too large.
//! Lesson: measure_runtime
//! Headline: a unit mix-up

use std::time::Duration;

use solutions::async_comprehension::async_comprehension;
use tokio::time::Instant;

/// Milliseconds where seconds are expected.
pub async fn measure_runtime() -> Duration {
    let start = Instant::now();
    tokio::join!(
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
    );
    Duration::from_secs_f64(start.elapsed().as_millis() as f64)
}
