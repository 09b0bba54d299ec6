//! Mistake: builds the ticker on `tokio::time::interval`, whose first tick completes at once:
//! `tick 1` comes at 0 s, every tick a second early (the stop itself is right: abort, then
//! await the handle).
//! Lesson: stop_ticker
//! Headline: completed its first tick at once
//! Not: kept running after the stop

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::{interval, sleep};

/// Ticks on an interval, printing on every tick, the immediate first one included.
pub async fn ticker() {
    let mut every_second = interval(Duration::from_secs(1));
    for count in 1u64.. {
        every_second.tick().await;
        println!("tick {count}");
    }
}

/// Aborts and awaits, as it should.
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    let running = tokio::spawn(ticker());
    sleep(Duration::from_secs_f64(stop)).await;
    running.abort();
    running.await
}
