//! Mistake: the `JoinHandle` is used as if it were the task's value.
//! Lesson: task_wait_n
//! Expect: A `JoinHandle` is not the task's value

use crate::task_wait_random::task_wait_random;

pub async fn task_wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut delays = Vec::new();
    for _ in 0..n {
        let delay: f64 = task_wait_random(max_delay);
        delays.push(delay);
    }
    delays
}
