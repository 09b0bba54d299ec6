//! Mistake: the period is converted with `Duration::from_secs(period as u64)`, truncating its
//! fraction (1.5 s becomes 1 s; 0.5 s becomes 0 and interval panics on a zero period).
//! From: rust-lang/rust PR #100294 "Update Duration::as_secs doc to point to as_secs_f64/32 for including fractional part", <https://github.com/rust-lang/rust/pull/100294>
//! Lesson: tick_every
//! Headline: takes whole seconds

use std::time::Duration;

use tokio::time::{MissedTickBehavior, interval, sleep};

fn behavior_of(behavior: &str) -> MissedTickBehavior {
    match behavior {
        "burst" => MissedTickBehavior::Burst,
        "delay" => MissedTickBehavior::Delay,
        "skip" => MissedTickBehavior::Skip,
        other => panic!("unknown behavior {other}"),
    }
}

/// Ticks on a period cut to whole seconds.
pub async fn tick_every(period: f64, work: Vec<f64>, behavior: &str) {
    let mut ticks = interval(Duration::from_secs(period as u64));
    ticks.set_missed_tick_behavior(behavior_of(behavior));
    for (k, seconds) in work.into_iter().enumerate() {
        ticks.tick().await;
        println!("tick {}", k + 1);
        sleep(Duration::from_secs_f64(seconds)).await;
    }
}
