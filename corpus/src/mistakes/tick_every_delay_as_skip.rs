//! Mistake: maps the behaviour names to the wrong variants ("delay" to `Skip`, "skip" to
//! `Delay`): the delay case keeps the original schedule.
//! Lesson: tick_every
//! Headline: ticked as Skip does

use std::time::Duration;

use tokio::time::{MissedTickBehavior, interval, sleep};

/// Delay and Skip swapped.
pub async fn tick_every(period: f64, work: Vec<f64>, behavior: &str) {
    let mut ticks = interval(Duration::from_secs_f64(period));
    ticks.set_missed_tick_behavior(match behavior {
        "delay" => MissedTickBehavior::Skip,
        "skip" => MissedTickBehavior::Delay,
        _ => MissedTickBehavior::Burst,
    });
    for (k, seconds) in work.into_iter().enumerate() {
        ticks.tick().await;
        println!("tick {}", k + 1);
        sleep(Duration::from_secs_f64(seconds)).await;
    }
}
