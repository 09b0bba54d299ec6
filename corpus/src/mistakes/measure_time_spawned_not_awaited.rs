//! Mistake: spawns wait_n as a task and reads the clock at once, without awaiting it: it
//! measures nothing, and used to pass (0 s times n is the 0 s the call took).
//! Lesson: measure_time
//! Headline: started wait_n as a task but returned before it finished
//! Not: std::time::Instant

use std::time::Duration;

use solutions::wait_n::wait_n;
use tokio::time::Instant;

/// The task runs on its own; the clock is read before it finishes.
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    if n == 0 {
        return Duration::ZERO;
    }
    let start = Instant::now();
    tokio::spawn(wait_n(n, max_delay));
    start.elapsed() / n as u32
}
