//! Mistake: the consumer drains the channel with `try_recv()`, which does not wait: it finds
//! the channel empty before the producer has sent anything, and the loop ends at once.
//! Lesson: produce_consume
//! Headline: `try_recv()` does not wait

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::sleep;

/// Takes what is there, and stops at the first empty look.
pub async fn produce_consume(n: u32, capacity: usize, work: f64) -> Vec<u32> {
    let (tx, mut rx) = mpsc::channel(capacity);
    tokio::spawn(async move {
        for item in 0..n {
            if tx.send(item).await.is_err() {
                return;
            }
            println!("sent {item}");
        }
    });
    let mut received = Vec::new();
    while let Ok(item) = rx.try_recv() {
        sleep(Duration::from_secs_f64(work)).await;
        received.push(item);
    }
    received
}
