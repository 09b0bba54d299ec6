//! Mistake: sleeps correctly, then calls a helper that blocks the thread with
//! std::thread::sleep. The virtual timings are right (the clock stands still while the thread
//! sleeps), and the sleep is in another function: the source check follows greet into its
//! helper, and the runner's measure of time blocked in the kernel is the evidence.
//! Lesson: greet
//! Headline: uses `std::thread::sleep` through `settle`

use std::time::Duration;

use futures::future::join_all;
use tokio::time::sleep;

/// "Lets the output settle": a blocking pause, called from async code.
fn settle() {
    std::thread::sleep(Duration::from_millis(300));
}

/// Awaits the second, then holds the executor's thread in `settle`.
pub async fn greet(name: &str) {
    println!("Hello, {name}");
    sleep(Duration::from_secs(1)).await;
    settle();
    println!("Goodbye, {name}");
}

/// Correct, but built on the blocking `greet`.
pub async fn greet_all(names: &[&str]) {
    join_all(names.iter().map(|name| greet(name))).await;
}
