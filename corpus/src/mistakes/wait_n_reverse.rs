//! Mistake: collects the delays in completion order, then reverses the list (longest first).
//! Lesson: wait_n
//! Headline: longest first

use solutions::wait_random::wait_random;
use tokio::task::JoinSet;

/// Right up to the last line, which turns completion order around.
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut set = JoinSet::new();
    for _ in 0..n {
        set.spawn(wait_random(max_delay));
    }
    let mut delays = Vec::with_capacity(n);
    while let Some(joined) = set.join_next().await {
        delays.push(joined.expect("a wait_random task failed"));
    }
    delays.reverse();
    delays
}
