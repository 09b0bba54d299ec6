//! Mistake: spawns the fetch but awaits its handle at once, before doing the other work.
//! Lesson: tasks
//! Headline: fetched first and did the other work afterwards

use std::time::Duration;

use tokio::time::sleep;

pub use solutions::tasks::fetch_data;

/// The spawn is right, but awaiting the handle straight away makes it sequential: 3 s.
pub async fn fetch_in_background() {
    let task = tokio::spawn(fetch_data());
    let result = task.await.expect("the fetch task failed");

    println!("Performing other operations");
    sleep(Duration::from_secs(1)).await;
    println!("Still working...");

    println!("Result: {result}");
}
