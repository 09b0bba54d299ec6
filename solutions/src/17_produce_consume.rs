//! Lesson 17, a producer and a consumer over a bounded channel: the reference solution.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::sleep;

/// Sends `0, 1, ..., n - 1` through a channel that holds at most `capacity`
/// items (at least 1), from a producer task that prints `sent {i}` after each
/// send, to a consumer that takes `work` seconds per item. Returns the items
/// in the order the consumer received them, once the producer is done and
/// every item is consumed.
pub async fn produce_consume(n: u32, capacity: usize, work: f64) -> Vec<u32> {
    let (tx, mut rx) = mpsc::channel(capacity);
    // The sender moves into the producer: when the producer ends, it is
    // dropped, the channel closes, and `recv` returns `None` after the last
    // item.
    tokio::spawn(async move {
        for item in 0..n {
            // Waits while the channel is full: this is the backpressure.
            if tx.send(item).await.is_err() {
                return; // the consumer is gone
            }
            println!("sent {item}");
        }
    });
    let mut received = Vec::new();
    while let Some(item) = rx.recv().await {
        sleep(Duration::from_secs_f64(work)).await;
        received.push(item);
    }
    received
}
