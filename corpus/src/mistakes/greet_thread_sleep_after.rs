//! Mistake: sleeps correctly, then also blocks the thread with std::thread::sleep. Its virtual
//! timings are right (the clock stands still while the thread sleeps), so only the blocking
//! gives it away: the runner's measure of time blocked in the kernel, and the source check.
//! Lesson: greet
//! Headline: uses `std::thread::sleep`

use std::time::Duration;

use futures::future::join_all;
use tokio::time::sleep;

/// Awaits the second, then holds the executor's thread for half a second more.
pub async fn greet(name: &str) {
    println!("Hello, {name}");
    sleep(Duration::from_secs(1)).await;
    std::thread::sleep(Duration::from_millis(500));
    println!("Goodbye, {name}");
}

/// Correct, but built on the blocking `greet`.
pub async fn greet_all(names: &[&str]) {
    join_all(names.iter().map(|name| greet(name))).await;
}
