//! Mistake: prints the progress lines on a `tokio::time::interval`, whose first tick completes
//! at once: `waiting: 1 s` comes at 0 s, every progress line a second early.
//! Lesson: race
//! Headline: completed its first tick at once

use std::time::Duration;

use tokio::time::interval;

pub use solutions::race::{contestant, race};

/// Progress on an interval's ticks.
pub async fn wait_with_progress(job: f64) -> String {
    let job = contestant("job", job);
    tokio::pin!(job);
    let mut beat = interval(Duration::from_secs(1));
    let mut waited = 0;
    loop {
        tokio::select! {
            name = &mut job => return name,
            _ = beat.tick() => {
                waited += 1;
                println!("waiting: {waited} s");
            }
        }
    }
}
