//! Mistake: runs the producer to its end before consuming (awaits its handle first): with more
//! items than room, the producer waits forever on a full channel nobody empties.
//! Lesson: produce_consume
//! Headline: the producer got stuck after

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::sleep;

/// Produces everything, then consumes.
pub async fn produce_consume(n: u32, capacity: usize, work: f64) -> Vec<u32> {
    let (tx, mut rx) = mpsc::channel(capacity);
    let producer = tokio::spawn(async move {
        for item in 0..n {
            if tx.send(item).await.is_err() {
                return;
            }
            println!("sent {item}");
        }
    });
    producer.await.expect("the producer does not panic");
    let mut received = Vec::new();
    while let Some(item) = rx.recv().await {
        sleep(Duration::from_secs_f64(work)).await;
        received.push(item);
    }
    received
}
