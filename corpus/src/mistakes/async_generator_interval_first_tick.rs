//! Mistake: paces the stream with tokio::time::interval, whose first tick completes
//! immediately, so items arrive at 0,1,...,9 s instead of 1..10 s.
//! From: <https://github.com/tokio-rs/tokio/issues/1967> "interval::tick does not wait as expected"
//! Lesson: async_generator
//! Headline: completed its first tick at once
//! Not: not after it

use futures::Stream;
use futures::stream;
use std::time::Duration;
use tokio::time::interval;

/// The mistake, as a student wrote it (see the header).
pub fn async_generator() -> impl Stream<Item = f64> {
    stream::unfold(
        (interval(Duration::from_secs(1)), 0u32),
        |(mut ticker, i)| async move {
            if i == 10 {
                return None;
            }
            ticker.tick().await;
            let x: f64 = rand::random_range(0.0..=10.0);
            Some((x, (ticker, i + 1)))
        },
    )
}
