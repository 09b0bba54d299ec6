//! Mistake: times the four comprehensions with std::time::Instant, which ignores tokio's clock.
//! Lesson: measure_runtime
//! Headline: uses `std::time::Instant

use std::time::{Duration, Instant};

use solutions::async_comprehension::async_comprehension;

/// Runs them together, but reads the wall clock: about 0 s.
pub async fn measure_runtime() -> Duration {
    let start = Instant::now();
    let _ = tokio::join!(
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
    );
    start.elapsed()
}
