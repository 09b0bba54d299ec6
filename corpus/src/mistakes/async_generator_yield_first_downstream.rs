//! Mistake: the generator yields its first number at once and sleeps only between numbers, so
//! it ends after 9 s; the comprehension and the runtime measure built on it are right, and fail
//! only because of it.
//! Lesson: async_generator, async_comprehension, measure_runtime
//! Headline: yielded the first number at once
//! Headline of async_comprehension: builds on lesson 10, async_generator
//! Headline of measure_runtime: builds on lesson 10, async_generator

use std::time::Duration;

use futures::stream::{self, Stream, StreamExt};
use tokio::time::{Instant, sleep};

/// Items at 0, 1, ..., 9 s: the wait comes between items, not before each.
pub fn async_generator() -> impl Stream<Item = f64> {
    stream::iter(0..10).then(|i| async move {
        if i > 0 {
            sleep(Duration::from_secs(1)).await;
        }
        rand::random_range(0.0..=10.0)
    })
}

/// Right: collects the generator above.
pub async fn async_comprehension() -> Vec<f64> {
    async_generator().collect().await
}

/// Right: four comprehensions at once.
pub async fn measure_runtime() -> Duration {
    let start = Instant::now();
    tokio::join!(
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
    );
    start.elapsed()
}
