//! Mistake: reads the limit as milliseconds (`Duration::from_millis(limit as u64)`): a limit of
//! 2 s gives up after 2 ms.
//! Lesson: wait_at_most
//! Headline: in seconds

use std::time::Duration;

use tokio::time::error::Elapsed;
use tokio::time::timeout;

pub use solutions::wait_at_most::work;

/// A unit mix-up on the limit.
pub async fn wait_at_most(delay: f64, limit: f64) -> Result<f64, Elapsed> {
    timeout(Duration::from_millis(limit as u64), work(delay)).await
}
