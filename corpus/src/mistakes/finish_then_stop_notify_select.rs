//! Mistake: tells the worker to stop with a `Notify` that the worker races against each job in
//! a `select!`: when the stop wins, the job under way is dropped half done.
//! Lesson: finish_then_stop
//! Headline: A `select!` between the job and the stop signal drops the job

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::sleep;

/// Cancels the job in progress at the stop.
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let stop_now = Arc::new(Notify::new());
    let told = Arc::clone(&stop_now);
    let worker = tokio::spawn(async move {
        let mut finished = Vec::new();
        for job in jobs {
            tokio::select! {
                () = sleep(Duration::from_secs_f64(job)) => {
                    println!("finished {job}");
                    finished.push(job);
                }
                () = told.notified() => break,
            }
        }
        finished
    });
    sleep(Duration::from_secs_f64(stop)).await;
    stop_now.notify_one();
    worker.await.unwrap_or_default()
}
