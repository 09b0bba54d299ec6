//! Mistake: sorts the join_all results in a helper function, out of wait_n's own body.
//! Lesson: wait_n
//! Headline: uses `sort_by` through `tidy`

use futures::future::join_all;
use solutions::wait_random::wait_random;

/// "Tidies" the delays: a sort under another name.
fn tidy(delays: &mut [f64]) {
    delays.sort_by(f64::total_cmp);
}

/// The values pass, sorted in a helper.
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut delays = join_all((0..n).map(|_| wait_random(max_delay))).await;
    tidy(&mut delays);
    delays
}
