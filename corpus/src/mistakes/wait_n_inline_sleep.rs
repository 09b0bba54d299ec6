//! Mistake: copies wait_random's body (draw, sleep) into wait_n instead of calling wait_random.
//! Lesson: wait_n
//! Headline: should call wait_random

use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::sleep;

/// Behaves right, but repeats the previous lesson instead of reusing it.
pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let mut set = JoinSet::new();
    for _ in 0..n {
        set.spawn(async move {
            let delay = rand::random_range(0.0..=max_delay as f64);
            sleep(Duration::from_secs_f64(delay)).await;
            delay
        });
    }
    let mut delays = Vec::with_capacity(n);
    while let Some(joined) = set.join_next().await {
        delays.push(joined.expect("a wait task failed"));
    }
    delays
}
