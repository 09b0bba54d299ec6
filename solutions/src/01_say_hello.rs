//! Lesson 1, `async`/`.await` and a non-blocking sleep: the reference solution.

use std::time::Duration;

use tokio::time::sleep;

/// Prints `Hello`, waits one second without blocking the thread, prints `World`.
pub async fn say_hello() {
    println!("Hello");
    // `tokio::time::sleep` only registers a timer and yields: the thread stays
    // free for other tasks. `std::thread::sleep` would freeze the whole runtime.
    sleep(Duration::from_secs(1)).await;
    println!("World");
}
