//! Lesson 16, stopping a task with `JoinHandle::abort`: the reference solution.

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::sleep;

/// Prints `tick 1`, `tick 2`, ... one second apart, the first after one
/// second, forever.
pub async fn ticker() {
    let mut count = 0u64;
    loop {
        sleep(Duration::from_secs(1)).await;
        count += 1;
        println!("tick {count}");
    }
}

/// Runs [`ticker`] as a task for `stop` seconds, then stops it and returns
/// what its handle reports: `Err(JoinError)`, cancelled.
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    let handle = tokio::spawn(ticker());
    sleep(Duration::from_secs_f64(stop)).await;
    // abort only asks: the task stops the next time the runtime would poll it.
    handle.abort();
    // Awaiting the handle waits until it has stopped, and says how it ended.
    handle.await
}
