//! Mistake: the worker walks its jobs by index one step too far (`0..=jobs.len()`), so after
//! the last job it panics; the caller takes the worker's `Err` for "nothing finished" with
//! `unwrap_or_default()`, and the panic is lost.
//! Lesson: finish_then_stop
//! Headline: panicked at 1.25 s
//! Not: after the call returned

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::sleep;

/// Indexes one job past the end (the index loop is the mistake clippy would flag).
#[allow(clippy::needless_range_loop)]
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(async move {
        let mut finished = Vec::new();
        for k in 0..=jobs.len() {
            if *stop_rx.borrow() {
                break;
            }
            let job = jobs[k];
            sleep(Duration::from_secs_f64(job)).await;
            println!("finished {job}");
            finished.push(job);
        }
        finished
    });
    sleep(Duration::from_secs_f64(stop)).await;
    let _ = stop_tx.send(true);
    worker.await.unwrap_or_default()
}
