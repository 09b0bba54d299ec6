//! Mistake: awaits fetch_data directly instead of spawning it, so nothing runs in the background.
//! Lesson: tasks
//! Headline: fetched first and did the other work afterwards

use std::time::Duration;

use tokio::time::sleep;

pub use solutions::tasks::fetch_data;

/// No task: the fetch finishes before the other work starts, 3 s in all.
pub async fn fetch_in_background() {
    let result = fetch_data().await;

    println!("Performing other operations");
    sleep(Duration::from_secs(1)).await;
    println!("Still working...");

    println!("Result: {result}");
}
