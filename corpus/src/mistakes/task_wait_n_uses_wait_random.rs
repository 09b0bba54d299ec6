//! Mistake: builds task_wait_n on wait_random futures instead of task_wait_random tasks.
//! Lesson: task_wait_n
//! Headline: should start its tasks with task_wait_random

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use solutions::wait_random::wait_random;

/// Right values and order, but no tasks: the lesson is about spawning them.
pub async fn task_wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let waits: FuturesUnordered<_> = (0..n).map(|_| wait_random(max_delay)).collect();
    waits.collect().await
}
