//! Mistake: times wait_n with std::time::Instant, which reads the wall clock instead of tokio's.
//! Lesson: measure_time
//! Headline: uses `std::time::Instant

use std::time::{Duration, Instant};

use solutions::wait_n::wait_n;

/// On tokio's paused clock the wall clock barely moves: about 0 s.
pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    let start = Instant::now();
    wait_n(n, max_delay).await;
    if n == 0 {
        return Duration::ZERO;
    }
    start.elapsed() / n as u32
}
