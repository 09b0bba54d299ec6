//! Mistake: uses join_all and then sorts the delays to make them look like completion order.
//! Lesson: wait_n
//! Headline: sorting afterwards hides

use futures::future::join_all;
use solutions::wait_random::wait_random;

/// The values pass, but only because they are sorted after the fact.
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut delays = join_all((0..n).map(|_| wait_random(max_delay))).await;
    delays.sort_by(f64::total_cmp);
    delays
}
