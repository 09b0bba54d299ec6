//! Mistake: aborts the ticker but does not await its handle, and returns Ok(()). On tokio's
//! current-thread runtime the ticks do stop (the task is cancelled before it is polled
//! again), so only the missing JoinError shows it: the lesson asks for it as the proof.
//! Lesson: stop_ticker
//! Headline: without awaiting the handle

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::sleep;

pub use solutions::stop_ticker::ticker;

/// Asks the task to stop, and never looks whether it did.
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    let handle = tokio::spawn(ticker());
    sleep(Duration::from_secs_f64(stop)).await;
    handle.abort();
    Ok(())
}
