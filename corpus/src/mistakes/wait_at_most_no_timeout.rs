//! Mistake: awaits the work with no timeout at all, so slow work runs to its end.
//! Lesson: wait_at_most
//! Headline: the work ran past the limit

use tokio::time::error::Elapsed;

pub use solutions::wait_at_most::work;

/// Waits as long as the work takes: the limit is never applied.
pub async fn wait_at_most(delay: f64, _limit: f64) -> Result<f64, Elapsed> {
    Ok(work(delay).await)
}
