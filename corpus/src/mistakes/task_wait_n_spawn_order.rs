//! Mistake: spawns every task, then awaits the handles in spawn order instead of completion order.
//! Lesson: task_wait_n
//! Headline: in the order the tasks were spawned

use solutions::task_wait_random::task_wait_random;

/// Concurrent, but the results come back in the order the tasks were started.
pub async fn task_wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let handles: Vec<_> = (0..n).map(|_| task_wait_random(max_delay)).collect();
    let mut delays = Vec::with_capacity(n);
    for handle in handles {
        delays.push(handle.await.expect("a task failed"));
    }
    delays
}
