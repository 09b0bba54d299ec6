//! Mistake: never sets the missed-tick behaviour, so the interval always bursts (tokio's
//! default), whatever `behavior` asks.
//! Lesson: tick_every
//! Headline: ticked as Burst does

use std::time::Duration;

use tokio::time::{interval, sleep};

/// Right schedule, wrong catching up.
pub async fn tick_every(period: f64, work: Vec<f64>, _behavior: &str) {
    let mut ticks = interval(Duration::from_secs_f64(period));
    for (k, seconds) in work.into_iter().enumerate() {
        ticks.tick().await;
        println!("tick {}", k + 1);
        sleep(Duration::from_secs_f64(seconds)).await;
    }
}
