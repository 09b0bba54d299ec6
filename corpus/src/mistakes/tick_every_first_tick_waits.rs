//! Mistake: believes the interval's first tick waits a period, so does the first round
//! before the loop: the first `tick()` then completes at once, and tick 2 comes right after
//! the first work.
//! Lesson: tick_every
//! Headline: the first `tick()` of an interval completes at once

use std::time::Duration;

use tokio::time::{MissedTickBehavior, interval, sleep};

/// One round too early.
pub async fn tick_every(period: f64, work: Vec<f64>, behavior: &str) {
    let mut ticks = interval(Duration::from_secs_f64(period));
    ticks.set_missed_tick_behavior(match behavior {
        "delay" => MissedTickBehavior::Delay,
        "skip" => MissedTickBehavior::Skip,
        _ => MissedTickBehavior::Burst,
    });
    for (k, seconds) in work.into_iter().enumerate() {
        if k > 0 {
            ticks.tick().await;
        }
        println!("tick {}", k + 1);
        sleep(Duration::from_secs_f64(seconds)).await;
    }
}
