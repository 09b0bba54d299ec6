//! Mistake: awaits all the waits with join_all, which returns them in the order they were started.
//! Lesson: wait_n
//! Headline: not the order they finished

use futures::future::join_all;
use solutions::wait_random::wait_random;

/// Concurrent, but in input order rather than completion order.
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    join_all((0..n).map(|_| wait_random(max_delay))).await
}
