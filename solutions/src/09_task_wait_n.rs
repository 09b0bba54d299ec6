//! Lesson 9, collecting spawned tasks in completion order: the reference
//! solution.

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use crate::task_wait_random::task_wait_random;

/// Spawns [`task_wait_random`] `n` times and returns the delays in the order
/// the tasks finished.
pub async fn task_wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    // Every task is started before we wait on any of them, so all the timers
    // run at once. `FuturesUnordered` then yields each handle as it completes.
    let handles: FuturesUnordered<_> = (0..n).map(|_| task_wait_random(max_delay)).collect();

    handles
        .map(|joined| match joined {
            Ok(delay) => delay,
            Err(err) => std::panic::resume_unwind(err.into_panic()),
        })
        .collect()
        .await
}
