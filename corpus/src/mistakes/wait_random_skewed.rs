//! Mistake: draws "about max_delay / 2, give or take max_delay" and clamps it into the range,
//! so a quarter of the delays pile up at 0 and a quarter at max_delay.
//! Lesson: wait_random
//! Headline: Kolmogorov-Smirnov

use std::time::Duration;

use tokio::time::sleep;

/// Floats, inside `0..=max_delay`, reaching both ends, slept exactly: only the spread is
/// wrong, which only the Kolmogorov-Smirnov test sees. (Squaring a uniform number skews it
/// as well, but reaches the top tenth of the range too rarely to be sure to get that far.)
pub async fn wait_random(max_delay: u64) -> f64 {
    let max = max_delay as f64;
    let delay = (max / 2.0 + rand::random_range(-1.0..=1.0) * max).clamp(0.0, max);
    sleep(Duration::from_secs_f64(delay)).await;
    delay
}
