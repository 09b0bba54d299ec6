//! Mistake: makes a new `Semaphore` inside each task, so every wait gets a permit of its own
//! semaphore and nothing is ever held back.
//! Lesson: wait_bounded
//! Headline: was created 4 times, once per wait
//! Not: let _ =

use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::sleep;

/// One semaphore per wait: each limits only itself.
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    let mut set = JoinSet::new();
    for delay in delays {
        set.spawn(async move {
            let gate = Semaphore::new(limit);
            let _held = gate.acquire().await.expect("never closed");
            sleep(Duration::from_secs_f64(delay)).await;
            delay
        });
    }
    let mut done = Vec::new();
    while let Some(Ok(delay)) = set.join_next().await {
        done.push(delay);
    }
    done
}
