//! Lesson 15, racing futures with `select!`: the reference solution.

use std::time::Duration;

use tokio::time::sleep;

/// A contestant, given: sleeps `delay` seconds, then prints `{name} arrives`
/// and returns its name.
pub async fn contestant(name: &str, delay: f64) -> String {
    sleep(Duration::from_secs_f64(delay)).await;
    println!("{name} arrives");
    name.to_string()
}

/// Races `contestant("tortoise", tortoise)` against `contestant("hare", hare)`
/// and returns the winner's name as soon as it arrives; the loser is dropped.
pub async fn race(tortoise: f64, hare: f64) -> String {
    // select! polls both in the same task; the first branch to finish wins,
    // and the other future is dropped on the spot: it never arrives.
    tokio::select! {
        name = contestant("tortoise", tortoise) => name,
        name = contestant("hare", hare) => name,
    }
}

/// Waits for `contestant("job", job)` while printing `waiting: {k} s` after
/// each whole second the job is still running; returns the job's name.
pub async fn wait_with_progress(job: f64) -> String {
    // Created once, outside the loop, and polled through `&mut`: every turn
    // of the loop goes on with the same job instead of starting a new one.
    let job = contestant("job", job);
    tokio::pin!(job);
    let mut waited = 0;
    loop {
        tokio::select! {
            name = &mut job => return name,
            () = sleep(Duration::from_secs(1)) => {
                waited += 1;
                println!("waiting: {waited} s");
            }
        }
    }
}
