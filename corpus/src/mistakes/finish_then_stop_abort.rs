//! Mistake: stops the worker with abort, which cancels it in the middle of its job: the job
//! under way at the stop is lost.
//! Lesson: finish_then_stop
//! Headline: the job in progress was lost: the worker task spawned at

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::sleep;

/// Stops at once instead of finishing the current job.
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let finished = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&finished);
    let worker = tokio::spawn(async move {
        for job in jobs {
            sleep(Duration::from_secs_f64(job)).await;
            println!("finished {job}");
            record.lock().expect("never poisoned").push(job);
        }
    });
    sleep(Duration::from_secs_f64(stop)).await;
    worker.abort();
    let _ = worker.await;
    finished.lock().expect("never poisoned").clone()
}
