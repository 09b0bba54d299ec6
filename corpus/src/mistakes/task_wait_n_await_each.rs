//! Mistake: awaits each task's handle right after spawning it, so the tasks run one after another.
//! Lesson: task_wait_n
//! Headline: ran one after another

use solutions::task_wait_random::task_wait_random;

/// Spawn, await, spawn, await: no two tasks ever overlap.
pub async fn task_wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut delays = Vec::with_capacity(n);
    for _ in 0..n {
        let handle = task_wait_random(max_delay);
        delays.push(handle.await.expect("a task failed"));
    }
    delays
}
