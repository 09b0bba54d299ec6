//! Mistake: awaits each wait_random before starting the next, so the waits add up.
//! Lesson: wait_n
//! Headline: ran one after another

use solutions::wait_random::wait_random;

/// Sequential: the total time is the sum of the delays, not the longest one.
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut delays = Vec::new();
    for _ in 0..n {
        delays.push(wait_random(max_delay).await);
    }
    delays
}
