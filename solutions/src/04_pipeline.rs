//! Lesson 4, chaining async steps: the reference solution.

use std::time::Duration;

use tokio::time::sleep;

/// Takes one second to "fetch" the string `"data"`.
pub async fn fetch_data() -> String {
    println!("Fetching data...");
    sleep(Duration::from_secs(1)).await;
    "data".to_string()
}

/// Takes one second to "process" `data` into `"processed data"`.
pub async fn process_data(data: String) -> String {
    println!("Processing {data}...");
    sleep(Duration::from_secs(1)).await;
    "processed data".to_string()
}

/// Fetches, then processes, then prints the outcome: about two seconds.
pub async fn pipeline() {
    // The second step needs the first one's output, so running them one after
    // the other is the only correct order: no concurrency to gain here.
    let data = fetch_data().await;
    let processed = process_data(data).await;
    println!("Final result: {processed}");
}
