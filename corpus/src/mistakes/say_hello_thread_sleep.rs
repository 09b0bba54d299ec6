//! Mistake: sleeps with std::thread::sleep, blocking the executor thread for a second.
//! Lesson: say_hello
//! Headline: uses `std::thread::sleep`

use std::time::Duration;

/// Blocks the whole runtime: the virtual clock stands still while real time passes.
pub async fn say_hello() {
    println!("Hello");
    std::thread::sleep(Duration::from_secs(1));
    println!("World");
}
