//! Lesson 12, running streams side by side and timing them: the reference
//! solution.

use std::time::Duration;

use tokio::time::Instant;

use crate::async_comprehension::async_comprehension;

/// Runs [`async_comprehension`] four times concurrently and returns the total
/// time: about ten seconds, since the four runs sleep at the same time.
pub async fn measure_runtime() -> Duration {
    // tokio's `Instant`, so the measure follows the runtime's (possibly paused)
    // clock.
    let start = Instant::now();
    // `join!` polls the four futures in this one task: no spawning needed for
    // their sleeps to overlap.
    let _ = tokio::join!(
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
    );
    start.elapsed()
}
