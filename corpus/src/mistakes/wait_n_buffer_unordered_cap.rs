//! Mistake: uses buffer_unordered with a fixed cap (copied from a "concurrent requests"
//! snippet), so only 10 waits run at once and large n takes much longer than the longest delay.
//! From: <https://github.com/rust-lang/futures-rs/issues/2189> "Add option for unbounded buffer_unordered"
//! Lesson: wait_n
//! Headline: `buffer_unordered(k)` runs at most k futures at once
//! Not: not in completion order

use futures::stream::{self, StreamExt};
use solutions::wait_random::wait_random;

const CONCURRENCY: usize = 10;

/// The mistake, as a student wrote it (see the header).
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    stream::iter(0..n)
        .map(|_| wait_random(max_delay))
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await
}
