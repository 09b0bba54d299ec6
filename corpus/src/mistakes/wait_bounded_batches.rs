//! Mistake: cuts the delays into batches of `limit` and awaits each batch with join_all, so
//! every batch waits for its slowest wait while the other slots stand idle.
//! Lesson: wait_bounded
//! Headline: in batches of 2

use std::time::Duration;

use futures::future::join_all;

/// Never more than `limit` at once, but slower than a semaphore.
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    let mut finished = Vec::new();
    for batch in delays.chunks(limit) {
        let mut done = join_all(batch.iter().map(|&delay| async move {
            tokio::time::sleep(Duration::from_secs_f64(delay)).await;
            delay
        }))
        .await;
        // Shortest first within a batch, as they finished.
        done.sort_by(f64::total_cmp);
        finished.extend(done);
    }
    finished
}
