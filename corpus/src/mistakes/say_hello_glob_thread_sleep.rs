//! Mistake: imports std::thread with a glob and calls a bare `sleep`, which is
//! std::thread::sleep: it blocks the executor for a second.
//! Lesson: say_hello
//! Headline: uses `std::thread::sleep`

use std::thread::*;
use std::time::Duration;

/// `sleep` here is std::thread::sleep, through the glob import.
pub async fn say_hello() {
    println!("Hello");
    sleep(Duration::from_secs(1));
    println!("World");
}
