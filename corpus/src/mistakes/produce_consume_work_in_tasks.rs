//! Mistake: the consumer hands each item's work to a task of its own (a `JoinSet`) and goes
//! straight back to `recv()`, so the channel is always drained at once and the producer is
//! never held back, although the channel is bounded.
//! Lesson: produce_consume
//! Headline: each item's work ran in a task of its own
//! Not: unbounded channel

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::sleep;

/// Works on the items concurrently instead of one at a time.
pub async fn produce_consume(n: u32, capacity: usize, work: f64) -> Vec<u32> {
    let (sender, mut receiver) = mpsc::channel(capacity);
    tokio::spawn(async move {
        for item in 0..n {
            if sender.send(item).await.is_err() {
                return;
            }
            println!("sent {item}");
        }
    });
    let mut workers = JoinSet::new();
    while let Some(item) = receiver.recv().await {
        workers.spawn(async move {
            sleep(Duration::from_secs_f64(work)).await;
            item
        });
    }
    let mut done = Vec::new();
    while let Some(Ok(item)) = workers.join_next().await {
        done.push(item);
    }
    done.sort_unstable();
    done
}
