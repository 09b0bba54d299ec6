//! Mistake: signals the stop and returns the list collected so far without awaiting the
//! worker: the job under way finishes after the call has returned, and is missing.
//! Lesson: finish_then_stop
//! Headline: the worker went on after the stop

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::sleep;

/// Reads the shared list at the stop instead of waiting for the worker.
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let done = Arc::new(Mutex::new(Vec::new()));
    let shared = Arc::clone(&done);
    tokio::spawn(async move {
        for job in jobs {
            if *stop_rx.borrow() {
                break;
            }
            sleep(Duration::from_secs_f64(job)).await;
            println!("finished {job}");
            shared.lock().expect("not poisoned").push(job);
        }
    });
    sleep(Duration::from_secs_f64(stop)).await;
    let _ = stop_tx.send(true);
    done.lock().expect("not poisoned").clone()
}
