//! Mistake: the worker races each job against the stop signal with select!, so the signal
//! drops the job under way, half done.
//! Lesson: finish_then_stop
//! Headline: the job in progress was lost

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::sleep;

/// Listens for the stop during a job, not between jobs.
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let (stop_tx, mut stop_rx) = watch::channel(false);
    let worker = tokio::spawn(async move {
        let mut finished = Vec::new();
        for job in jobs {
            tokio::select! {
                () = sleep(Duration::from_secs_f64(job)) => {
                    println!("finished {job}");
                    finished.push(job);
                }
                _ = stop_rx.changed() => break,
            }
        }
        finished
    });
    sleep(Duration::from_secs_f64(stop)).await;
    let _ = stop_tx.send(true);
    worker.await.expect("the worker does not panic")
}
