//! Mistake: a plain `bool` stop flag read by an `async move` worker: the task got its own
//! copy when it was spawned, so setting the caller's flag never reaches it and every job runs.
//! Lesson: finish_then_stop
//! Headline: its own copy of `halt`

use std::time::Duration;

use tokio::time::sleep;

/// Sets a flag the worker cannot see.
#[allow(unused_assignments)]
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let mut halt = false;
    let worker = tokio::spawn(async move {
        let mut finished = Vec::new();
        for job in jobs {
            if halt {
                break;
            }
            sleep(Duration::from_secs_f64(job)).await;
            println!("finished {job}");
            finished.push(job);
        }
        finished
    });
    sleep(Duration::from_secs_f64(stop)).await;
    halt = true;
    worker.await.unwrap_or_default()
}
