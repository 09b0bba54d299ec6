//! Mistake: drops the ticker's JoinHandle, believing that stops the task: the task is only
//! detached, and goes on ticking after the call returns.
//! Lesson: stop_ticker
//! Headline: was still running when the case ended

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::sleep;

pub use solutions::stop_ticker::ticker;

/// Lets go of the handle instead of aborting the task.
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    let handle = tokio::spawn(ticker());
    sleep(Duration::from_secs_f64(stop)).await;
    drop(handle);
    Ok(())
}
