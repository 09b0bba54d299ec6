//! Lesson 2, awaiting several futures at once: the reference solution.

use std::time::Duration;

use futures::future::join_all;
use tokio::time::sleep;

/// Prints `Hello, {name}`, waits one second, prints `Goodbye, {name}`.
pub async fn greet(name: &str) {
    println!("Hello, {name}");
    sleep(Duration::from_secs(1)).await;
    println!("Goodbye, {name}");
}

/// Greets every name concurrently: about one second in total, whatever the
/// number of names.
pub async fn greet_all(names: &[&str]) {
    // Build all the futures first, then drive them together: their sleeps
    // overlap. Awaiting `greet` in a `for` loop would take one second per name.
    join_all(names.iter().map(|name| greet(name))).await;
}
