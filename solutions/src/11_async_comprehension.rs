//! Lesson 11, consuming a stream (Python's async comprehension): the reference
//! solution.

use futures::StreamExt;

use crate::async_generator::async_generator;

/// Collects the 10 numbers of [`async_generator`]: about ten seconds.
pub async fn async_comprehension() -> Vec<f64> {
    // `collect` polls the stream to its end and pushes each item as it comes.
    async_generator().collect().await
}
