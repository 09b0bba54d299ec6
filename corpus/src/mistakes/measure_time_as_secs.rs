//! Mistake: averages with whole seconds (`elapsed.as_secs() / n`), truncating the sub-second
//! part of the measurement.
//! From: <https://github.com/habitat-sh/builder/pull/1352> "Fix some uses of Duration::as_secs to f64"
//! Lesson: measure_time
//! Headline: `Duration::as_secs` reads whole seconds
//! Not: before wait_n finished

use solutions::wait_n::wait_n;
use std::time::Duration;
use tokio::time::Instant;

/// The mistake, as a student wrote it (see the header).
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    let start = Instant::now();
    wait_n(n, max_delay).await;
    if n == 0 {
        return Duration::ZERO;
    }
    let secs = start.elapsed().as_secs();
    Duration::from_secs(secs / n as u64)
}
