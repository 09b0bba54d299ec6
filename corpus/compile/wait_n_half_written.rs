//! Mistake: half-written: the results are collected into the wrong type.
//! Lesson: wait_n
//! Expect: mismatched types

use tokio::task::JoinSet;

use crate::wait_random::wait_random;

pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut set = JoinSet::new();
    for _ in 0..n {
        set.spawn(wait_random(max_delay));
    }
    let mut delays: Vec<u64> = Vec::new();
    while let Some(delay) = set.join_next().await {
        delays.push(delay.unwrap());
    }
    delays
}
