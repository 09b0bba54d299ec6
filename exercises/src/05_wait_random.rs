//! # Lesson 5: a random, non-blocking wait
//!
//! From now on the lessons build on one small brick: a future that waits a
//! random time and then tells you how long it waited. Later lessons start many
//! of these at once and watch them finish in a random order.
//!
//! `rand::random_range(0.0..=max)` draws an `f64` uniformly from `0.0` up to
//! and including `max`. Use the inclusive range `..=`: it allows
//! `max_delay == 0` (always 0.0), while the empty range `0.0..0.0` panics.
//! Remember to convert the `u64` argument with `max_delay as f64`.
//!
//! `Duration::from_secs_f64(delay)` turns the float into a `Duration`, and
//! `tokio::time::sleep` waits for it without blocking the thread. Return the
//! exact float you drew. Don't round it: the timer rounds up to the next
//! millisecond on its own, and that is fine.
//!
//! One thing to watch out for, which matters in lesson 8: draw the number
//! *before* the `.await`, and don't keep a random generator
//! (`let mut rng = rand::rng();`) alive across the `.await`. That generator
//! cannot be moved between threads. If it lives across an `.await`, your future
//! stops being `Send`, and `tokio::spawn` will refuse it. `rand::random_range`
//! uses a generator only for the duration of the call, so it avoids the problem.
//!
//! ## What to write
//!
//! `wait_random(max_delay)` draws `delay` uniformly in `0.0..=max_delay`
//! seconds (an `f64`), sleeps that long with
//! `tokio::time::sleep(Duration::from_secs_f64(delay))`, and returns `delay`.
//! It prints nothing.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                        | tokio / rand                                      |
//! |--------------------------------|---------------------------------------------------|
//! | `random.uniform(0, max_delay)` | `rand::random_range(0.0..=max_delay as f64)`      |
//! | `asyncio.sleep(delay)`         | `tokio::time::sleep(Duration::from_secs_f64(delay))` |
//!
//! ## What the checker looks at
//!
//! - The value: within `0.0..=max_delay`, spread over the whole range (not
//!   always the same number, not always an integer). `max_delay = 0` must work.
//! - That you really waited that long: the time elapsed on the virtual clock
//!   must match the value you returned, to the millisecond. The clock jumps to
//!   the next timer, so even a 10 s delay is graded instantly.
//! - `std::thread::sleep` is rejected: it does not move the virtual clock.
//! - Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::sleep;

/// Waits a uniformly random delay between 0 and `max_delay` seconds
/// (inclusive, as an `f64`) and returns that delay.
#[allow(unused_variables)]
pub async fn wait_random(max_delay: u64) -> f64 {
    todo!()
}
