//! Mistake: `next()` on a stream that is not `Unpin`, without pinning it first.
//! Lesson: async_comprehension
//! Expect: pin it first

use futures::StreamExt;

use crate::async_generator::async_generator;

pub async fn async_comprehension() -> Vec<f64> {
    let mut stream = async_generator();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    items
}
