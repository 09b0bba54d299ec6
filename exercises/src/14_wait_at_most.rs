//! # Lesson 14: give up on slow work, with a timeout
//!
//! Until now every lesson waited as long as the work took. Real programs
//! cannot always afford that: a request that has not answered in two seconds
//! is better abandoned than awaited. A *timeout* puts a limit on a wait.
//!
//! `tokio::time::timeout(limit, future)` is itself a future. Awaiting it runs
//! `future` until one of two things happens first. Either the future
//! finishes, and the timeout gives back `Ok(value)`, or the limit passes, and
//! it gives back `Err(Elapsed)` at that very moment.
//!
//! What becomes of the work when the limit passes? Here async Rust differs
//! from asyncio. A Rust future runs only while someone polls it. When the
//! limit passes, `timeout` *drops* the future it holds, and a dropped future
//! never runs again: the work is cancelled right where it was waiting.
//! Nothing after its `.await` happens. asyncio's `wait_for` has to raise
//! `CancelledError` inside the task to stop it. In Rust, dropping is the
//! cancellation.
//!
//! So what you put under the timeout matters. The timeout limits the future
//! you hand it, and nothing else. `timeout(limit, async { value })` after a
//! `let value = work(delay).await;` limits a future that is ready at once:
//! the work already took its full time before the timeout even started. And a
//! task started with `tokio::spawn` is not a future you hold but a handle to
//! one that runs by itself. A timeout on the handle gives up waiting, but the
//! task runs on to its end.
//!
//! ## What to write
//!
//! `work(delay)` is given: it prints `working for {delay} s`, sleeps `delay`
//! seconds, prints `done after {delay} s` and returns `delay`. Don't change
//! it.
//!
//! `wait_at_most(delay, limit)` runs `work(delay)` for at most `limit`
//! seconds. When the work finishes in time, it returns `Ok` with the work's
//! value, as soon as the work is done. Otherwise it returns `Err(Elapsed)`,
//! the error `timeout` gives, exactly when the limit passes; the work must
//! then stop where it is, so `done after ...` is never printed.
//!
//! For example, `wait_at_most(1.5, 2.0)` prints both lines and returns
//! `Ok(1.5)` after 1.5 s. `wait_at_most(3.0, 2.0)` prints `working for 3 s`
//! and returns `Err(Elapsed)` after 2 s, and nothing more is printed, ever.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                          | tokio                                                    |
//! |--------------------------------------------------|----------------------------------------------------------|
//! | `await asyncio.wait_for(work(d), timeout=limit)` | `timeout(Duration::from_secs_f64(limit), work(d)).await` |
//! | `except asyncio.TimeoutError:`                   | `Err(Elapsed)`: a value, not an exception                |
//! | the task is cancelled with `CancelledError`      | the future is dropped: it never runs again               |
//!
//! ## What the checker looks at
//!
//! - Work shorter than the limit: `Ok` with its value, after exactly the
//!   work's time on the virtual clock, and both lines printed.
//! - Work longer than the limit: `Err(Elapsed)` at the limit, to the
//!   millisecond, never later. The checker then lets more virtual time pass:
//!   `done after ...` must never appear.
//! - A limit of zero gives up at once.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::error::Elapsed;
#[allow(unused_imports)]
use tokio::time::{sleep, timeout};

/// The slow work, given: prints when it starts and when it ends, sleeps
/// `delay` seconds in between, and returns `delay`.
pub async fn work(delay: f64) -> f64 {
    println!("working for {delay} s");
    sleep(Duration::from_secs_f64(delay)).await;
    println!("done after {delay} s");
    delay
}

/// Runs `work(delay)` for at most `limit` seconds: `Ok(delay)` when it
/// finishes in time, `Err(Elapsed)` when the limit passes first (the work is
/// then dropped, and stops where it was).
#[allow(unused_variables)]
pub async fn wait_at_most(delay: f64, limit: f64) -> Result<f64, Elapsed> {
    todo!()
}
