//! Mistake: runs the four comprehensions under futures::executor::block_on, which parks the
//! executor's thread until timers fire that only that thread could fire.
//! Lesson: measure_runtime
//! Headline: uses `futures::executor::block_on`
//! Not: waiting on a lock

use std::time::Duration;

use solutions::async_comprehension::async_comprehension;
use tokio::time::Instant;

/// Blocks instead of awaiting.
pub async fn measure_runtime() -> Duration {
    let start = Instant::now();
    futures::executor::block_on(async {
        tokio::join!(
            async_comprehension(),
            async_comprehension(),
            async_comprehension(),
            async_comprehension(),
        )
    });
    start.elapsed()
}
