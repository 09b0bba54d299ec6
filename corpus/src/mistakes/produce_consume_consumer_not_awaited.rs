//! Mistake: the consumer is also spawned and its JoinHandle is not awaited (only the producer's
//! is), so the function returns once everything is sent, before the consumer has worked on the
//! items: a partial result, too early.
//! From: tokio docs / tokio-rs/tokio PR #4901 "task: add cancel safety docs to JoinHandle" (a spawned task runs detached; nothing waits for it unless its handle is awaited); common review comment "tokio::spawn without awaiting the JoinHandle", <https://github.com/tokio-rs/tokio/pull/4901>
//! Lesson: produce_consume
//! Headline: nothing waited for it to finish

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::sleep;

/// Spawns the consumer too and returns without awaiting it.
pub async fn produce_consume(n: u32, capacity: usize, work: f64) -> Vec<u32> {
    let (tx, mut rx) = mpsc::channel(capacity);
    let received = Arc::new(Mutex::new(Vec::new()));
    let producer = tokio::spawn(async move {
        for item in 0..n {
            if tx.send(item).await.is_err() {
                return;
            }
            println!("sent {item}");
        }
    });
    let sink = Arc::clone(&received);
    tokio::spawn(async move {
        while let Some(item) = rx.recv().await {
            sleep(Duration::from_secs_f64(work)).await;
            sink.lock().unwrap().push(item);
        }
    });
    producer.await.expect("producer panicked");
    received.lock().unwrap().clone()
}
