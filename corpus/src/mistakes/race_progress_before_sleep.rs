//! Mistake: prints each progress line before its one-second sleep instead of after it, so
//! `waiting: 1 s` appears at 0 s.
//! Lesson: race
//! Headline: before a second had passed

use std::time::Duration;

use tokio::time::sleep;

pub use solutions::race::{contestant, race};

/// Announces each second at its start.
pub async fn wait_with_progress(job: f64) -> String {
    let job = contestant("job", job);
    tokio::pin!(job);
    let mut waited = 0;
    loop {
        let second = async {
            waited += 1;
            println!("waiting: {waited} s");
            sleep(Duration::from_secs(1)).await;
        };
        tokio::select! {
            name = &mut job => return name,
            () = second => {}
        }
    }
}
