//! Lesson 18, ticks on a schedule with `tokio::time::interval`: the reference solution.

use std::time::Duration;

use tokio::time::{MissedTickBehavior, interval, sleep};

/// Ticks every `period` seconds with `tokio::time::interval`, the first tick
/// at once, one tick per item of `work`: at tick `k` (from 1) it prints
/// `tick {k}`, then works `work[k - 1]` seconds (a sleep) before waiting for
/// the next tick. Ticks missed while working are made up as `behavior` says:
/// `"burst"`, `"delay"` or `"skip"` (tokio's `MissedTickBehavior`). Returns
/// after the last work.
///
/// # Panics
///
/// If `period` is not positive, or `behavior` is another text.
pub async fn tick_every(period: f64, work: Vec<f64>, behavior: &str) {
    let mut ticks = interval(Duration::from_secs_f64(period));
    ticks.set_missed_tick_behavior(match behavior {
        "burst" => MissedTickBehavior::Burst,
        "delay" => MissedTickBehavior::Delay,
        "skip" => MissedTickBehavior::Skip,
        other => panic!("unknown MissedTickBehavior `{other}`: burst, delay or skip"),
    });
    for (k, seconds) in work.into_iter().enumerate() {
        // The first tick completes at once; each later one at its deadline,
        // or, if that has passed, as the behaviour says.
        ticks.tick().await;
        println!("tick {}", k + 1);
        sleep(Duration::from_secs_f64(seconds)).await;
    }
}
