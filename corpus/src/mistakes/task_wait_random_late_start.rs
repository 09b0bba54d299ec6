//! Mistake: the spawned task first sleeps max_delay seconds and only then runs wait_random.
//! Lesson: task_wait_random
//! Headline: did not start its wait when task_wait_random was called

use std::time::Duration;

use solutions::wait_random::wait_random;
use tokio::task::JoinHandle;
use tokio::time::sleep;

/// A task is spawned at once, but its wait only begins max_delay seconds later.
pub fn task_wait_random(max_delay: u64) -> JoinHandle<f64> {
    tokio::spawn(async move {
        sleep(Duration::from_secs(max_delay)).await;
        wait_random(max_delay).await
    })
}
