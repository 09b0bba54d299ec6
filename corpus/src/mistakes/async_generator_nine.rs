//! Mistake: loops over 1..10, which yields only nine numbers.
//! Lesson: async_generator
//! Headline: off by one: yielded 9 numbers

use std::time::Duration;

use futures::stream::{self, Stream, StreamExt};
use tokio::time::sleep;

/// An off-by-one range: 1..10 has nine elements.
pub fn async_generator() -> impl Stream<Item = f64> {
    stream::iter(1..10).then(|_| async {
        sleep(Duration::from_secs(1)).await;
        rand::random_range(0.0..=10.0)
    })
}
