//! Lesson 19, graceful shutdown: the reference solution.

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::sleep;

/// Runs `jobs` (seconds of work each) one after another in a worker task,
/// which prints `finished {job}` after each. At `stop` seconds it tells the
/// worker to stop: the worker finishes the job it is on, starts no other, and
/// exits. Returns the jobs the worker finished, in order, once it has exited
/// (at `stop` at the earliest).
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(async move {
        let mut finished = Vec::new();
        for job in jobs {
            // Looked at between jobs only: a job once started is finished.
            if *stop_rx.borrow() {
                break;
            }
            sleep(Duration::from_secs_f64(job)).await;
            println!("finished {job}");
            finished.push(job);
        }
        finished
    });
    sleep(Duration::from_secs_f64(stop)).await;
    // An error only means that the worker has already run out of jobs.
    let _ = stop_tx.send(true);
    match worker.await {
        Ok(finished) => finished,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}
