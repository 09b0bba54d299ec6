//! Mistake: sleeps a period after each work instead of using an interval: every round lasts
//! the period plus the work, and the ticks drift.
//! Lesson: tick_every
//! Headline: the ticks drift

use std::time::Duration;

use tokio::time::sleep;

/// No schedule at all.
pub async fn tick_every(period: f64, work: Vec<f64>, _behavior: &str) {
    let count = work.len();
    for (k, seconds) in work.into_iter().enumerate() {
        println!("tick {}", k + 1);
        sleep(Duration::from_secs_f64(seconds)).await;
        if k + 1 < count {
            sleep(Duration::from_secs_f64(period)).await;
        }
    }
}
