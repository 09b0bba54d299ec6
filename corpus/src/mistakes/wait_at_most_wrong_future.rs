//! Mistake: awaits the work first, then puts a timeout around its result: the timeout limits
//! a future that is ready at once, and the work has already taken its full time.
//! Lesson: wait_at_most
//! Headline: the work ran past the limit

use std::time::Duration;

use tokio::time::error::Elapsed;
use tokio::time::timeout;

pub use solutions::wait_at_most::work;

/// The timeout wraps the wrong future.
pub async fn wait_at_most(delay: f64, limit: f64) -> Result<f64, Elapsed> {
    let value = work(delay).await;
    timeout(Duration::from_secs_f64(limit), async move { value }).await
}
