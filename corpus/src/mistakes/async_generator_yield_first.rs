//! Mistake: yields each number before sleeping (Python's `yield` then `await sleep`), so the first comes at once.
//! Lesson: async_generator
//! Headline: yielded the first number at once

use std::time::Duration;

use futures::channel::mpsc;
use futures::{SinkExt, Stream};
use tokio::time::sleep;

/// A task sends a number, then sleeps: items arrive at 0, 1, ..., 9 s.
pub fn async_generator() -> impl Stream<Item = f64> {
    let (mut sender, receiver) = mpsc::channel(0);
    tokio::spawn(async move {
        for _ in 0..10 {
            let number = rand::random_range(0.0..=10.0);
            if sender.send(number).await.is_err() {
                return;
            }
            sleep(Duration::from_secs(1)).await;
        }
    });
    receiver
}
