//! Mistake: uses an unbounded channel where the lesson asks for a bounded one: the producer
//! is never held back and sends every item at 0 s.
//! Lesson: produce_consume
//! Headline: the producer was not held back

use std::time::Duration;

use tokio::sync::mpsc;

/// Same items, same total time; no backpressure.
pub async fn produce_consume(n: u32, _capacity: usize, work: f64) -> Vec<u32> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        for item in 0..n {
            if tx.send(item).is_err() {
                return;
            }
            println!("sent {item}");
        }
    });
    let mut received = Vec::new();
    while let Some(item) = rx.recv().await {
        tokio::time::sleep(Duration::from_secs_f64(work)).await;
        received.push(item);
    }
    received
}
