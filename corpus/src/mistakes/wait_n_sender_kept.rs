//! Mistake: collects results over an mpsc channel but keeps the original Sender alive, so
//! `rx.recv()` never returns None and wait_n hangs after the last delay.
//! From: <https://github.com/rust-lang/rust/pull/80269> "Explain non-dropped sender recv in docs"
//! Lesson: wait_n
//! Headline: until every Sender of the channel is dropped

use solutions::wait_random::wait_random;
use tokio::sync::mpsc;

/// The mistake, as a student wrote it (see the header).
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for _ in 0..n {
        let tx = tx.clone();
        tokio::spawn(async move {
            let d = wait_random(max_delay).await;
            let _ = tx.send(d);
        });
    }
    let mut out = Vec::with_capacity(n);
    while let Some(d) = rx.recv().await {
        out.push(d);
    }
    out
}
