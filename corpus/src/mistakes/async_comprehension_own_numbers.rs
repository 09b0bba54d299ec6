//! Mistake: makes its own ten numbers in a loop instead of collecting async_generator.
//! Lesson: async_comprehension
//! Headline: collect the numbers from async_generator

use std::time::Duration;

use tokio::time::sleep;

/// Right shape and timing, but it rewrites the generator instead of consuming it.
pub async fn async_comprehension() -> Vec<f64> {
    let mut numbers = Vec::with_capacity(10);
    for _ in 0..10 {
        sleep(Duration::from_secs(1)).await;
        numbers.push(rand::random_range(0.0..=10.0));
    }
    numbers
}
