//! Mistake: `wait_n(..)` without `.await`: a future, not the delays.
//! Lesson: measure_time
//! Expect: Add `.await`

use std::time::Duration;

use tokio::time::Instant;

use crate::wait_n::wait_n;

pub async fn measure_time(n: usize, max_delay: u64) -> Duration {
    let start = Instant::now();
    let delays: Vec<f64> = wait_n(n, max_delay);
    let _ = delays;
    if n == 0 {
        return Duration::ZERO;
    }
    start.elapsed() / n as u32
}
