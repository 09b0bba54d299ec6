//! Mistake: the stop is signalled with Notify::notify_waiters(), which stores no permit; the
//! worker only checks (with a non-blocking poll) between jobs, is never registered as a waiter
//! at that moment, so the notification is lost and the worker runs every job.
//! From: fwdai/fletch PR #194 "fix(telemetry): use notify_one to avoid lost-wakeup flush stall" (notify_waiters only wakes already-registered waiters), <https://github.com/fwdai/fletch/pull/194> ; tokio-rs/tokio issue #4618 "Notify loses notifications"
//! Lesson: finish_then_stop
//! Headline: `notify_waiters()` wakes only the tasks already waiting

use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use tokio::sync::Notify;
use tokio::time::sleep;

/// Signals the stop with `notify_waiters`, which the worker, not waiting then, never sees.
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    let notify = Arc::new(Notify::new());
    let signal = Arc::clone(&notify);
    let worker = tokio::spawn(async move {
        let mut finished = Vec::new();
        for job in jobs {
            // Between jobs: has the stop been signalled?
            if signal.notified().now_or_never().is_some() {
                break;
            }
            sleep(Duration::from_secs_f64(job)).await;
            println!("finished {job}");
            finished.push(job);
        }
        finished
    });
    sleep(Duration::from_secs_f64(stop)).await;
    notify.notify_waiters();
    worker.await.unwrap()
}
