//! Mistake: starts the waits over 1..n, one fewer than asked.
//! Lesson: wait_n
//! Headline: off by one

use solutions::wait_random::wait_random;
use tokio::task::JoinSet;

/// n - 1 waits, collected as they finish.
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut set = JoinSet::new();
    for _ in 1..n {
        set.spawn(wait_random(max_delay));
    }
    let mut delays = Vec::with_capacity(n);
    while let Some(joined) = set.join_next().await {
        delays.push(joined.unwrap_or_default());
    }
    delays
}
