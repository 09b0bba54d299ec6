//! Mistake: spawns the job and looks at `is_finished()` once a second instead of awaiting it:
//! the call returns at the first look after the job arrived, up to a second late.
//! Lesson: race
//! Headline: `is_finished()`

use std::time::Duration;

use tokio::time::sleep;

pub use solutions::race::{contestant, race};

/// Polls the handle on the progress beat.
pub async fn wait_with_progress(job: f64) -> String {
    let handle = tokio::spawn(contestant("job", job));
    let mut waited = 0;
    while !handle.is_finished() {
        sleep(Duration::from_secs(1)).await;
        waited += 1;
        println!("waiting: {waited} s");
    }
    handle.await.unwrap_or_default()
}
