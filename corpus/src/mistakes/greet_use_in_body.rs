//! Mistake: imports std::thread::sleep inside greet's body, under another name, and blocks the
//! executor with it after the greeting.
//! Lesson: greet
//! Headline: uses `std::thread::sleep`

use std::time::Duration;

use futures::future::join_all;

/// A `use` inside the body: `nap` is std::thread::sleep.
pub async fn greet(name: &str) {
    use std::thread::sleep as nap;
    println!("Hello, {name}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    nap(Duration::from_millis(300));
    println!("Goodbye, {name}");
}

/// Correct, but built on the blocking `greet`.
pub async fn greet_all(names: &[&str]) {
    join_all(names.iter().map(|name| greet(name))).await;
}
