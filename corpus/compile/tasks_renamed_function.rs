//! Mistake: `fetch_in_background` was renamed `main_task`, as in the Python lesson's `main`.
//! Lesson: tasks
//! Expect: `main_task` instead: was it renamed?

use std::time::Duration;

pub async fn fetch_data() -> u32 {
    println!("Fetching data...");
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!("Data fetched");
    42
}

pub async fn main_task() {
    let task = tokio::spawn(fetch_data());
    println!("Doing other work while the data is fetched");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let data = task.await.unwrap();
    println!("Received: {data}");
}
