//! Mistake: converts the limit with `Duration::from_secs(limit as u64)`, which drops its
//! fraction: a limit of 1.75 s gives up at 1 s.
//! Lesson: wait_at_most
//! Headline: was cut off its fraction

use std::time::Duration;

use tokio::time::error::Elapsed;
use tokio::time::timeout;

pub use solutions::wait_at_most::work;

/// Truncates the limit to whole seconds.
pub async fn wait_at_most(delay: f64, limit: f64) -> Result<f64, Elapsed> {
    let allowed = Duration::from_secs(limit as u64);
    timeout(allowed, work(delay)).await
}
