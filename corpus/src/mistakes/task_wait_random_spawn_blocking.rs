//! Mistake: runs the wait on a blocking thread (spawn_blocking) with std::thread::sleep: it
//! takes real time, which the paused clock does not follow, and no tokio timer is involved.
//! Lesson: task_wait_random
//! Headline: calls `std::thread::sleep` on a blocking thread (spawn_blocking
//! Not: waited for something that never happens

use std::time::Duration;

use tokio::task::JoinHandle;

/// Sleeps on a thread of tokio's blocking pool instead of on tokio's clock.
pub fn task_wait_random(max_delay: u64) -> JoinHandle<f64> {
    tokio::task::spawn_blocking(move || {
        let delay = rand::random_range(0.0..=max_delay as f64);
        std::thread::sleep(Duration::from_secs_f64(delay));
        delay
    })
}
