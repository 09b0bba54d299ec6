//! Mistake: uses `stop.changed().await` as a "has the stop come?" test before each job; it
//! waits for the next change instead, so the worker sits idle until the stop and then quits
//! without doing any job.
//! Lesson: finish_then_stop
//! Headline: `changed().await` waits for the next change
//! Not: abort()

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::sleep;

/// Waits for a change where it meant to look for one.
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let (tell, mut stop_signal) = watch::channel(false);
    let worker = tokio::spawn(async move {
        let mut finished = Vec::new();
        for job in jobs {
            if stop_signal.changed().await.is_ok() && *stop_signal.borrow() {
                break;
            }
            sleep(Duration::from_secs_f64(job)).await;
            println!("finished {job}");
            finished.push(job);
        }
        finished
    });
    sleep(Duration::from_secs_f64(stop)).await;
    tell.send(true).ok();
    worker.await.unwrap_or_default()
}
