//! Mistake: maps each item to a sleeping future and uses .buffered(10), which runs all ten
//! sleeps at once, so every item arrives at 1 s.
//! From: <https://github.com/rust-lang/futures-rs/issues/2609> "Concurrent stream combinators" (calling them "buffered" hides that they run concurrently)
//! Lesson: async_generator
//! Headline: all started at 0 s and ran at the same time
//! Not: sleep once per number

use futures::Stream;
use futures::stream::{self, StreamExt};
use std::time::Duration;
use tokio::time::sleep;

/// The mistake, as a student wrote it (see the header).
pub fn async_generator() -> impl Stream<Item = f64> {
    stream::iter(0..10)
        .map(|_| async {
            sleep(Duration::from_secs(1)).await;
            rand::random_range(0.0..=10.0)
        })
        .buffered(10)
}
