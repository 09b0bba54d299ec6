//! Mistake: bounds the waits with a semaphore but collects them with join_all, which returns
//! them in the order they were given rather than the order they finished.
//! Lesson: wait_bounded
//! Headline: in the order they were given

use std::time::Duration;

use futures::future::join_all;
use tokio::sync::Semaphore;

/// The timing is right; the order is the input's.
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    let semaphore = Semaphore::new(limit);
    join_all(delays.into_iter().map(|delay| {
        let semaphore = &semaphore;
        async move {
            let _permit = semaphore.acquire().await.expect("never closed");
            tokio::time::sleep(Duration::from_secs_f64(delay)).await;
            delay
        }
    }))
    .await
}
