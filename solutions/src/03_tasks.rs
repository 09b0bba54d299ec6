//! Lesson 3, background tasks with `tokio::spawn`: the reference solution.

use std::time::Duration;

use tokio::time::sleep;

/// Pretends to fetch something for two seconds, then returns 123.
pub async fn fetch_data() -> u32 {
    println!("Start fetching data");
    sleep(Duration::from_secs(2)).await;
    println!("Done fetching data");
    123
}

/// Starts [`fetch_data`] in the background, works on something else meanwhile,
/// then collects its result: about two seconds in total, not three.
pub async fn fetch_in_background() {
    // The task belongs to the runtime from now on: it makes progress while we
    // sleep below, even though nobody awaits its handle yet.
    let task = tokio::spawn(fetch_data());

    println!("Performing other operations");
    sleep(Duration::from_secs(1)).await;
    println!("Still working...");

    // Awaiting the handle gives `Err` only if the task panicked or was
    // cancelled; re-raise a panic with its original message.
    let result = match task.await {
        Ok(value) => value,
        Err(err) => std::panic::resume_unwind(err.into_panic()),
    };
    println!("Result: {result}");
}
