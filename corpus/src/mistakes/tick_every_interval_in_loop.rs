//! Mistake: creates the interval inside the loop, so every round waits on a fresh interval
//! whose first tick completes at once: no round waits for the period.
//! Lesson: tick_every
//! Headline: once per turn of the loop

use std::time::Duration;

use tokio::time::{MissedTickBehavior, interval, sleep};

/// A new interval every round.
pub async fn tick_every(period: f64, work: Vec<f64>, behavior: &str) {
    for (k, seconds) in work.iter().enumerate() {
        let mut round = interval(Duration::from_secs_f64(period));
        round.set_missed_tick_behavior(match behavior {
            "delay" => MissedTickBehavior::Delay,
            "skip" => MissedTickBehavior::Skip,
            _ => MissedTickBehavior::Burst,
        });
        round.tick().await;
        println!("tick {}", k + 1);
        sleep(Duration::from_secs_f64(*seconds)).await;
    }
}
