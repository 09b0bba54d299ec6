//! Mistake: collects the handles through FuturesOrdered (start order), then keeps the list in
//! order with binary_search and insert: a sort without the word `sort`.
//! Lesson: task_wait_n
//! Headline: sorting in disguise: `task_wait_n` collects its results with `FuturesOrdered`

use futures::StreamExt;
use futures::stream::FuturesOrdered;
use solutions::task_wait_random::task_wait_random;

/// Start order, then a binary insertion sort.
pub async fn task_wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let started: Vec<f64> = (0..n)
        .map(|_| task_wait_random(max_delay))
        .collect::<FuturesOrdered<_>>()
        .map(|joined| joined.unwrap_or_default())
        .collect()
        .await;
    let mut delays: Vec<f64> = Vec::with_capacity(n);
    for delay in started {
        let at = delays
            .binary_search_by(|d| d.total_cmp(&delay))
            .unwrap_or_else(|at| at);
        delays.insert(at, delay);
    }
    delays
}
