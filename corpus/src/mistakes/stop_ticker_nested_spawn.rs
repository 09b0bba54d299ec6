//! Mistake: the ticker is spawned from inside a wrapper task that awaits it; aborting the
//! wrapper does not abort the inner task, so ticks go on after the stop (while the handle
//! reports a cancelled JoinError).
//! From: tokio-rs/tokio issue #4400 "It seems it is a bug in JoinHandle.abort()" (sfackler: "Aborting the h task doesn't abort the hh task"), <https://github.com/tokio-rs/tokio/issues/4400>
//! Lesson: stop_ticker
//! Headline: Aborting a task does not abort the tasks it spawned

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::sleep;

/// Prints `tick N` once a second, for ever.
pub async fn ticker() {
    let mut count = 0u64;
    loop {
        sleep(Duration::from_secs(1)).await;
        count += 1;
        println!("tick {count}");
    }
}

/// Aborts a wrapper task, not the ticker it spawned.
pub async fn stop_ticker(stop: f64) -> Result<(), JoinError> {
    let handle = tokio::spawn(async {
        let inner = tokio::spawn(ticker());
        let _ = inner.await;
    });
    sleep(Duration::from_secs_f64(stop)).await;
    handle.abort();
    handle.await
}
