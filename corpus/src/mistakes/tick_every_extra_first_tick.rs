//! Mistake: awaits one `tick()` before the loop "to start the interval", which uses up the
//! immediate first tick: every printed tick comes a period late.
//! Lesson: tick_every
//! Headline: a period late
//! Not: drift

use std::time::Duration;

use tokio::time::{MissedTickBehavior, interval, sleep};

/// Consumes the first tick without printing it.
pub async fn tick_every(period: f64, work: Vec<f64>, behavior: &str) {
    let mut beat = interval(Duration::from_secs_f64(period));
    beat.set_missed_tick_behavior(match behavior {
        "delay" => MissedTickBehavior::Delay,
        "skip" => MissedTickBehavior::Skip,
        _ => MissedTickBehavior::Burst,
    });
    beat.tick().await;
    for (k, seconds) in work.iter().enumerate() {
        beat.tick().await;
        println!("tick {}", k + 1);
        sleep(Duration::from_secs_f64(*seconds)).await;
    }
}
