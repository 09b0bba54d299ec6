//! Mistake: pauses tokio's clock itself, as tokio's test examples do, before sleeping; the
//! checker's clock is already paused, and tokio panics ("time is already frozen").
//! Lesson: say_hello
//! Expect: called `tokio::time::pause` itself

use std::time::Duration;

/// Pauses the clock, then does the lesson.
pub async fn say_hello() {
    tokio::time::pause();
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
