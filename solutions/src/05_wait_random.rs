//! Lesson 5, a random non-blocking wait: the reference solution.

use std::time::Duration;

use tokio::time::sleep;

/// Waits a uniformly random delay in `0..=max_delay` seconds and returns it.
pub async fn wait_random(max_delay: u64) -> f64 {
    // An inclusive range, so that `max_delay == 0` is allowed (`0.0..0.0`
    // would panic). The generator is used and dropped before the `.await`, so
    // this future stays `Send` and can later be handed to `tokio::spawn`.
    let delay = rand::random_range(0.0..=max_delay as f64);
    sleep(Duration::from_secs_f64(delay)).await;
    delay
}
