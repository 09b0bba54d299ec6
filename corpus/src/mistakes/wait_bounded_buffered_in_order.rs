//! Mistake: bounds the waits with `StreamExt::buffered(limit)`, which yields results in input
//! order and keeps a finished wait's slot until the waits before it are out: the next wait
//! starts only when the oldest ends, as if in batches.
//! Lesson: wait_bounded
//! Headline: ran the waits in batches of 2
//! Not: join_all

use std::time::Duration;

use futures::StreamExt;
use tokio::time::sleep;

/// Limits concurrency, but keeps the input order.
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    futures::stream::iter(delays)
        .map(|delay| async move {
            sleep(Duration::from_secs_f64(delay)).await;
            delay
        })
        .buffered(limit.max(1))
        .collect()
        .await
}
