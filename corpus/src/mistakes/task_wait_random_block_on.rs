//! Mistake: the spawned task runs wait_random with futures::executor::block_on, which parks the
//! executor's only thread until a timer fires that only that thread could fire.
//! Lesson: task_wait_random
//! Headline: uses `futures::executor::block_on`
//! Not: waiting on a lock

use solutions::wait_random::wait_random;
use tokio::task::JoinHandle;

/// Spawns a task that blocks its thread on the wait instead of awaiting it.
pub fn task_wait_random(max_delay: u64) -> JoinHandle<f64> {
    tokio::spawn(async move { futures::executor::block_on(wait_random(max_delay)) })
}
