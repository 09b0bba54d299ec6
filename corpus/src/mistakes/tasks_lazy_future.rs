//! Mistake: keeps the fetch_data future in a variable instead of spawning it, expecting it to run meanwhile.
//! Lesson: tasks
//! Headline: only started when it was awaited, after the other work

use std::time::Duration;

use tokio::time::sleep;

pub use solutions::tasks::fetch_data;

/// A future does nothing until awaited: the fetch starts after the other work, 3 s in all.
pub async fn fetch_in_background() {
    let fetch = fetch_data();

    println!("Performing other operations");
    sleep(Duration::from_secs(1)).await;
    println!("Still working...");

    let result = fetch.await;
    println!("Result: {result}");
}
