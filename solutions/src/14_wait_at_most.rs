//! Lesson 14, give up on slow work with a timeout: the reference solution.

use std::time::Duration;

use tokio::time::error::Elapsed;
use tokio::time::{sleep, timeout};

/// The slow work, given: prints when it starts and when it ends, sleeps
/// `delay` seconds in between, and returns `delay`.
pub async fn work(delay: f64) -> f64 {
    println!("working for {delay} s");
    sleep(Duration::from_secs_f64(delay)).await;
    println!("done after {delay} s");
    delay
}

/// Runs `work(delay)` for at most `limit` seconds: `Ok(delay)` when it
/// finishes in time, `Err(Elapsed)` when the limit passes first (the work is
/// then dropped, and stops where it was).
pub async fn wait_at_most(delay: f64, limit: f64) -> Result<f64, Elapsed> {
    // The timeout owns the work's future: when the limit passes it drops it,
    // and the work never runs again.
    timeout(Duration::from_secs_f64(limit), work(delay)).await
}
