//! Lesson 6, many waits at once, results in completion order: the reference
//! solution.

use tokio::task::JoinSet;

use crate::wait_random::wait_random;

/// Runs [`wait_random`] `n` times concurrently and returns the delays in the
/// order the waits finished (hence ascending, without any sorting).
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut set = JoinSet::new();
    for _ in 0..n {
        set.spawn(wait_random(max_delay));
    }

    // `join_next` hands back whichever task finishes first, so the vector
    // fills up in completion order: the shortest delay comes out first.
    let mut delays = Vec::with_capacity(n);
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(delay) => delays.push(delay),
            // Keep the task's own panic message instead of hiding it.
            Err(err) => std::panic::resume_unwind(err.into_panic()),
        }
    }
    delays
}
