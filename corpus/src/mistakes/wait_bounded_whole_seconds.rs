//! Mistake: the delay is converted with `Duration::from_secs(delay as u64)`, which truncates
//! fractional seconds (2.5 s sleeps 2 s, 0.4 s sleeps 0 s).
//! From: rust-lang/rust PR #100294 "Update Duration::as_secs doc to point to as_secs_f64/32 for including fractional part", <https://github.com/rust-lang/rust/pull/100294> ; habitat-sh/builder PR #1352 "Fix some uses of Duration::as_secs to f64"
//! Lesson: wait_bounded
//! Headline: takes whole seconds
//! Not: in the order they were given

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::sleep;

/// Sleeps each delay cut to whole seconds.
pub async fn wait_bounded(delays: Vec<f64>, limit: usize) -> Vec<f64> {
    let semaphore = Arc::new(Semaphore::new(limit));
    let mut set = JoinSet::new();
    for delay in delays {
        let semaphore = Arc::clone(&semaphore);
        set.spawn(async move {
            let _permit = semaphore.acquire_owned().await.unwrap();
            sleep(Duration::from_secs(delay as u64)).await;
            delay
        });
    }
    let mut finished = Vec::new();
    while let Some(joined) = set.join_next().await {
        finished.push(joined.unwrap());
    }
    finished
}
