//! Mistake: tries to make the comprehension concurrent by taking the first item of ten separate
//! generators with join_all, so it finishes in 1 s with numbers from 10 different streams.
//! From: <https://github.com/rust-lang/futures-rs/issues/542> "Add a way to iterate a stream in parallel"
//! Lesson: async_comprehension
//! Headline: all started at 0 s

use futures::StreamExt;
use futures::future::join_all;
use solutions::async_generator::async_generator;

/// The mistake, as a student wrote it (see the header).
pub async fn async_comprehension() -> Vec<f64> {
    join_all((0..10).map(|_| async {
        let mut s = Box::pin(async_generator());
        s.next().await.expect("empty stream")
    }))
    .await
}
