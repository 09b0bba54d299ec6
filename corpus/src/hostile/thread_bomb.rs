//! Mistake: starts a thousand OS threads (each sleeping for an hour) and leaves them running,
//! then does the lesson right.
//! Lesson: say_hello
//! Expect: OS threads

use std::time::Duration;

/// Starts 1000 sleeping OS threads, then prints `Hello`, waits, prints `World`.
pub async fn say_hello() {
    for _ in 0..1000 {
        std::thread::spawn(|| std::thread::sleep(Duration::from_secs(3600)));
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
