//! Lesson 13, bounded concurrency: the reference solution.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::sleep;

/// Sleeps each of `delays` (seconds), at most `limit` at a time, and returns
/// the delays in the order the sleeps finished.
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    let semaphore = Arc::new(Semaphore::new(limit));
    let mut set = JoinSet::new();
    for delay in delays {
        let semaphore = Arc::clone(&semaphore);
        // Tasks start in spawn order and the semaphore serves them first come
        // first served, so the waits begin in the order given.
        set.spawn(async move {
            // Held until the end of the task: the slot stays busy while the
            // sleep runs. (`let _ = ...` would drop it at once.)
            let _permit = semaphore
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            sleep(Duration::from_secs_f64(delay)).await;
            delay
        });
    }

    // `join_next` hands back whichever task finishes first: completion order.
    let mut finished = Vec::with_capacity(set.len());
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(delay) => finished.push(delay),
            Err(err) => std::panic::resume_unwind(err.into_panic()),
        }
    }
    finished
}
