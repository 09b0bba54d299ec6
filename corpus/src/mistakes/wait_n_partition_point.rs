//! Mistake: awaits the waits with join_all (start order), then inserts each delay where
//! partition_point says it belongs: a sort without the word `sort`.
//! Lesson: wait_n
//! Headline: sorting in disguise

use futures::future::join_all;
use solutions::wait_random::wait_random;

/// Insertion sort in disguise: the values look like completion order.
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let started = join_all((0..n).map(|_| wait_random(max_delay))).await;
    let mut delays: Vec<f64> = Vec::with_capacity(n);
    for delay in started {
        let at = delays.partition_point(|&d| d <= delay);
        delays.insert(at, delay);
    }
    delays
}
