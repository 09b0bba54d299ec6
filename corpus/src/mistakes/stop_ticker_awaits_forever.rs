//! Mistake: awaits the ticker's handle without aborting it first: the ticker never ends, so
//! neither does the call.
//! Lesson: stop_ticker
//! Headline: it waited for the ticker to end

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::sleep;

pub use solutions::stop_ticker::ticker;

/// Waits for a task that never finishes.
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    let handle = tokio::spawn(ticker());
    sleep(Duration::from_secs_f64(stop)).await;
    handle.await
}
