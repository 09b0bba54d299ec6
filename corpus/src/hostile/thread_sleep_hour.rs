//! Mistake: blocks the executor's thread with std::thread::sleep for an hour.
//! Lesson: say_hello
//! Expect: std::thread::sleep blocked the executor

use std::time::Duration;

/// Prints `Hello`, then holds the thread for an hour of real time.
pub async fn say_hello() {
    println!("Hello");
    std::thread::sleep(Duration::from_secs(3600));
    println!("World");
}
