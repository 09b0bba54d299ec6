//! Mistake: runs fetch and process at the same time with join!, processing a literal "data".
//! Lesson: pipeline
//! Headline: ran fetch_data and process_data at the same time

pub use solutions::pipeline::{fetch_data, process_data};

/// Processing does not wait for the fetch: 1 s instead of 2.
pub async fn pipeline() {
    let (_fetched, processed) = tokio::join!(fetch_data(), process_data("data".to_string()));
    println!("Final result: {processed}");
}
