//! Mistake: sleeps one second once, then yields all ten numbers at once.
//! Lesson: async_generator
//! Headline: came after a single second

use std::time::Duration;

use futures::stream::{self, Stream, StreamExt};
use tokio::time::sleep;

/// One sleep for the whole batch instead of one per number.
pub fn async_generator() -> impl Stream<Item = f64> {
    stream::once(async {
        sleep(Duration::from_secs(1)).await;
        (0..10)
            .map(|_| rand::random_range(0.0..=10.0))
            .collect::<Vec<f64>>()
    })
    .flat_map(stream::iter)
}
