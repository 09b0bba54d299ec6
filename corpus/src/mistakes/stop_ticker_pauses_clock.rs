//! Mistake: calls `tokio::time::pause()` itself, as tokio's testing guide shows, on a clock the
//! checker has already paused: tokio panics with "time is already frozen".
//! Lesson: stop_ticker
//! Headline: called `tokio::time::pause` itself

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::sleep;

pub use solutions::stop_ticker::ticker;

/// Freezes the clock first, to "make the test fast".
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    tokio::time::pause();
    let handle = tokio::spawn(ticker());
    sleep(Duration::from_secs_f64(stop)).await;
    handle.abort();
    handle.await
}
