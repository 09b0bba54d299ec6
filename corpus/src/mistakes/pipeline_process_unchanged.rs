//! Mistake: process_data returns its input unchanged instead of "processed data".
//! Lesson: pipeline
//! Headline: returned its input unchanged

use std::time::Duration;

use tokio::time::sleep;

pub use solutions::pipeline::fetch_data;

/// Waits and prints correctly, but hands back what it was given.
pub async fn process_data(data: String) -> String {
    println!("Processing {data}...");
    sleep(Duration::from_secs(1)).await;
    data
}

/// Correct, but built on the wrong `process_data`.
pub async fn pipeline() {
    let data = fetch_data().await;
    let processed = process_data(data).await;
    println!("Final result: {processed}");
}
