//! Mistake: calls `contestant("job", job)` inside the `select!` of a loop, so every turn
//! drops the job and starts a new one: a job longer than a second never arrives.
//! Lesson: race
//! Headline: it starts over on every turn of the loop

use std::time::Duration;

use tokio::time::sleep;

pub use solutions::race::{contestant, race};

/// Restarts the slow branch each time the progress branch wins.
pub async fn wait_with_progress(job: f64) -> String {
    let mut waited = 0;
    loop {
        tokio::select! {
            name = contestant("job", job) => return name,
            () = sleep(Duration::from_secs(1)) => {
                waited += 1;
                println!("waiting: {waited} s");
            }
        }
    }
}
