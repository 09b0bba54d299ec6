//! Lesson 10, async streams (Python's async generators): the reference
//! solution.

use std::time::Duration;

use futures::stream::{self, Stream, StreamExt};
use tokio::time::sleep;

/// A stream of 10 random numbers in `0..=10`, one per second.
pub fn async_generator() -> impl Stream<Item = f64> {
    // `then` runs the async block for each of the ten ticks, one at a time and
    // only when the consumer asks for the next item: the stream is lazy, so
    // the n-th number arrives n seconds after the consumer starts polling.
    stream::iter(0..10).then(|_| async {
        sleep(Duration::from_secs(1)).await;
        rand::random_range(0.0..=10.0)
    })
}
