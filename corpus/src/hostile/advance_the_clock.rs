//! Mistake: instead of sleeping, moves tokio's paused clock forward by hand
//! (`tokio::time::advance`), so `World` comes "at 1 s" and the call "takes 1 s" without ever
//! waiting: a verdict forged through the clock. The runner sees the clock move while the
//! runtime was running, which only the code can make it do.
//! Lesson: say_hello
//! Expect: called `tokio::time::advance` itself

use std::time::Duration;

/// Prints `Hello`, moves the clock 1 s, prints `World`.
pub async fn say_hello() {
    println!("Hello");
    tokio::time::advance(Duration::from_secs(1)).await;
    println!("World");
}
