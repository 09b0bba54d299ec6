//! Lesson 8, starting a task from a plain function: the reference solution.

use tokio::task::JoinHandle;

use crate::wait_random::wait_random;

/// Starts [`wait_random`] as a tokio task right away and returns its handle.
pub fn task_wait_random(max_delay: u64) -> JoinHandle<f64> {
    // No `async` needed: spawning is immediate. The task runs on its own from
    // here on; the caller decides when (or whether) to await the handle.
    tokio::spawn(wait_random(max_delay))
}
