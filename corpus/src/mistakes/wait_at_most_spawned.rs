//! Mistake: spawns the work and puts the timeout on its JoinHandle: the timeout gives up in
//! time, but dropping the handle does not cancel the task, which runs on to its end.
//! Lesson: wait_at_most
//! Headline: the work went on after the timeout

use std::time::Duration;

use tokio::time::error::Elapsed;
use tokio::time::timeout;

pub use solutions::wait_at_most::work;

/// Right value, right time; the task is left running.
pub async fn wait_at_most(delay: f64, limit: f64) -> Result<f64, Elapsed> {
    let handle = tokio::spawn(work(delay));
    let joined = timeout(Duration::from_secs_f64(limit), handle).await?;
    Ok(joined.expect("the work does not panic"))
}
