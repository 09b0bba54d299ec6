//! Mistake: counts the generator's numbers first, then collects them: the stream is consumed
//! twice, so the work takes twice as long.
//! Lesson: async_comprehension
//! Headline: the work ran 2 times

use futures::StreamExt;
use solutions::async_generator::async_generator;

/// Two passes over a stream that waits a second per item.
pub async fn async_comprehension() -> Vec<f64> {
    let count = async_generator().count().await;
    let mut numbers: Vec<f64> = async_generator().collect().await;
    numbers.truncate(count);
    numbers
}
