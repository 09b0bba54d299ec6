//! Mistake: moves a clone of the sender into the producer and keeps the original in the
//! calling function: the channel never closes, so the consumer's loop never ends.
//! Lesson: produce_consume
//! Headline: the consumer never ended

use std::time::Duration;

use tokio::sync::mpsc;

/// Every item arrives; `recv` never returns `None`.
pub async fn produce_consume(n: u32, capacity: usize, work: f64) -> Vec<u32> {
    let (tx, mut rx) = mpsc::channel(capacity);
    let producer = tx.clone();
    tokio::spawn(async move {
        for item in 0..n {
            if producer.send(item).await.is_err() {
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
    drop(tx);
    received
}
