//! Mistake: pins one `sleep` before the loop and races it by `&mut` in the `select!`, but
//! never resets it: once it has fired it is ready at every poll, so the loop prints
//! `waiting` again and again at 1 s without time ever passing.
//! Lesson: race
//! Headline: a `sleep` that has fired stays ready
//! Not: yield_now

use std::time::Duration;

use tokio::time::sleep;

pub use solutions::race::{contestant, race};

/// Pins the progress timer once and forgets to re-arm it.
pub async fn wait_with_progress(job: f64) -> String {
    let job = contestant("job", job);
    let second = sleep(Duration::from_secs(1));
    tokio::pin!(job, second);
    let mut waited = 0;
    loop {
        tokio::select! {
            name = &mut job => return name,
            () = &mut second => {
                waited += 1;
                println!("waiting: {waited} s");
            }
        }
    }
}
