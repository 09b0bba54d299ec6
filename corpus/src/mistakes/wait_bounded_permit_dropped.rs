//! Mistake: takes the permit with `let _ = ...`, which drops it at once, so nothing is limited.
//! Lesson: wait_bounded
//! Headline: the limit of 2 was not applied

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Looks bounded, but `let _` binds nothing: the permit is released before the sleep.
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    let semaphore = Arc::new(Semaphore::new(limit));
    let mut set = JoinSet::new();
    for delay in delays {
        let semaphore = Arc::clone(&semaphore);
        set.spawn(async move {
            let _ = semaphore.acquire().await.expect("never closed");
            tokio::time::sleep(Duration::from_secs_f64(delay)).await;
            delay
        });
    }
    let mut finished = Vec::new();
    while let Some(joined) = set.join_next().await {
        finished.push(joined.expect("no task panics"));
    }
    finished
}
