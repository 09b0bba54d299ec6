//! Mistake: acquires each permit in the spawning loop but does not move it into the task: the
//! permit is dropped at the end of the loop's turn, before the task sleeps, so the limit holds
//! nothing back.
//! Lesson: wait_bounded
//! Headline: stayed in the loop that spawns the tasks
//! Not: let _ =

use std::sync::Arc;

use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::sleep;

/// Holds each permit only while spawning.
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    let gate = Arc::new(Semaphore::new(limit));
    let mut set = JoinSet::new();
    for delay in delays {
        let _slot = gate.clone().acquire_owned().await.expect("never closed");
        set.spawn(async move {
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
