//! # Lesson 15: race two futures with `select!`
//!
//! Sometimes you start two things and want only the first to finish: the
//! fastest of two mirrors, a reply or a cancel button. `tokio::select!` waits
//! on several futures at once, in the same task, and runs the branch of the
//! first one to finish:
//!
//! ```ignore
//! tokio::select! {
//!     a = first_future => use_a(a),
//!     b = second_future => use_b(b),
//! }
//! ```
//!
//! The whole `select!` is an expression: its value is the value of the branch
//! that ran. And the futures that did not finish? They are *dropped*, right
//! there. As in lesson 14, a dropped future never runs again: the loser of
//! the race stops where it was waiting and never reaches the code after its
//! `.await`. asyncio's `wait(..., return_when=FIRST_COMPLETED)` leaves the
//! other tasks running until you cancel them yourself; `select!` cancels them
//! for you. (That is also why a task from `tokio::spawn` is not a good
//! contestant: dropping its `JoinHandle` does not stop it.)
//!
//! When both are ready in the same millisecond, `select!` picks one at random:
//! it polls its branches in a random order, unless you write `biased;` first
//! to poll them top to bottom. The cases here have no ties.
//!
//! **In a loop**, `select!` needs care. Each turn of the loop evaluates the
//! branch expressions again, so `select! { v = job() => .., _ = sleep(1s) =>
//! .. }` inside `loop` builds a *new* `job()` every turn, after dropping the
//! old one. A job longer than a second then never finishes: it starts over
//! every second. To go on with the same future, create it once before the
//! loop, pin it (`tokio::pin!(job);`) and race `&mut job`: the branch then
//! borrows the future instead of consuming it.
//!
//! ## What to write
//!
//! `contestant(name, delay)` is given: it sleeps `delay` seconds, prints
//! `{name} arrives` and returns the name. Don't change it.
//!
//! `race(tortoise, hare)` races `contestant("tortoise", tortoise)` against
//! `contestant("hare", hare)` with `select!`, and returns the winner's name as
//! soon as it arrives. Only the winner prints: the loser is dropped.
//!
//! `wait_with_progress(job)` waits for `contestant("job", job)`. While it
//! runs, it prints `waiting: 1 s`, `waiting: 2 s`, ... after each whole
//! second. It returns `"job"` as soon as the job arrives. For example,
//! `wait_with_progress(2.5)` prints `waiting: 1 s` at 1 s, `waiting: 2 s` at
//! 2 s, `job arrives` at 2.5 s, and returns then.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                                   | tokio                                   |
//! |-----------------------------------------------------------|-----------------------------------------|
//! | `done, pending = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)` | `tokio::select! { a = f => .., b = g => .. }` |
//! | `for t in pending: t.cancel()`                            | nothing: the losers are dropped         |
//! | a task object you keep awaiting in a loop                 | `tokio::pin!(job);` then `&mut job` in each `select!` |
//!
//! ## What the checker looks at
//!
//! - `race`: the winner's name, after exactly the shorter delay on the
//!   virtual clock, and only the winner's line. The checker then lets more
//!   virtual time pass: the loser's line must never appear.
//! - `wait_with_progress`: one `waiting` line per whole second, at that
//!   second, then `job arrives` at the job's time, and the call ends then.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::sleep;

/// A contestant, given: sleeps `delay` seconds, then prints `{name} arrives`
/// and returns its name.
pub async fn contestant(name: &str, delay: f64) -> String {
    sleep(Duration::from_secs_f64(delay)).await;
    println!("{name} arrives");
    name.to_string()
}

/// Races `contestant("tortoise", tortoise)` against `contestant("hare", hare)`
/// (delays in seconds) and returns the winner's name as soon as it arrives;
/// the loser is dropped and never prints.
#[allow(unused_variables)]
pub async fn race(tortoise: f64, hare: f64) -> String {
    todo!()
}

/// Waits for `contestant("job", job)` (`job` in seconds), printing
/// `waiting: {k} s` after each whole second it is still running; returns
/// `"job"` as soon as it arrives.
#[allow(unused_variables)]
pub async fn wait_with_progress(job: f64) -> String {
    todo!()
}
