//! Mistake: uses ready_chunks(10).next() to "grab the batch of 10", but ready_chunks yields
//! whatever is ready as soon as the stream is pending, i.e. one item.
//! From: <https://github.com/rust-lang/futures-rs/pull/2123> "Introduce `ready_chunks` adaptor" (returns the collected items as soon as the underlying stream is Pending)
//! Lesson: async_comprehension
//! Headline: `ready_chunks(k)` yields what is ready

use futures::StreamExt;
use solutions::async_generator::async_generator;

/// The mistake, as a student wrote it (see the header).
pub async fn async_comprehension() -> Vec<f64> {
    let mut chunks = Box::pin(async_generator().ready_chunks(10));
    chunks.next().await.unwrap_or_default()
}
