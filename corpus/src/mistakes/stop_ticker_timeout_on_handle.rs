//! Mistake: stops the ticker by putting its JoinHandle under `tokio::time::timeout`: when the
//! limit passes the timeout drops the handle, which detaches the task instead of stopping it.
//! Lesson: stop_ticker
//! Headline: Dropping a JoinHandle does not stop its task

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::timeout;

pub use solutions::stop_ticker::ticker;

/// A timeout around the handle: the task outlives it.
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    match timeout(Duration::from_secs_f64(stop), tokio::spawn(ticker())).await {
        Ok(joined) => joined,
        Err(_elapsed) => Ok(()),
    }
}
