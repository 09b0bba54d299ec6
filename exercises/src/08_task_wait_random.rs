//! # Lesson 8: starting a task from a plain function
//!
//! Not every function that deals with async work has to be `async` itself.
//! `tokio::spawn` is an ordinary function: it starts the task and returns its
//! `JoinHandle` immediately, without waiting for anything. So a plain `fn` can
//! start a task and give the handle to its caller, who can await it later, or
//! collect many handles and wait for them together.
//!
//! Compare the two kinds of value you now know:
//!
//! - `wait_random(5)` builds a *future*. It is lazy: no timer starts until
//!   someone polls it.
//! - `task_wait_random(5)` returns a `JoinHandle` for a task that is *already
//!   scheduled*. It begins running as soon as the current task yields, whether
//!   or not anyone awaits the handle. Dropping the handle does not stop the
//!   task; it just means nobody will collect its result.
//!
//! Awaiting the handle gives a `Result<f64, JoinError>`.
//!
//! Two requirements come with `tokio::spawn`:
//!
//! - It must be called from inside a tokio runtime, otherwise it panics with
//!   "there is no reactor running". The checker calls your function from
//!   within its runtime.
//! - The future must be `Send + 'static`. If your `wait_random` from lesson 5
//!   keeps a `rand::rng()` generator across its `.await`, this lesson will not
//!   compile. Draw the number with `rand::random_range` before sleeping.
//!
//! ## What to write
//!
//! `task_wait_random(max_delay)` is **not** `async`. It calls
//! `tokio::spawn(crate::wait_random::wait_random(max_delay))` and returns the
//! `JoinHandle<f64>`.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                    | tokio                                  |
//! |--------------------------------------------|----------------------------------------|
//! | `asyncio.create_task(wait_random(d))`      | `tokio::spawn(wait_random(d))`         |
//! | `asyncio.Task`                             | `tokio::task::JoinHandle<f64>`         |
//! | `await task`                               | `handle.await` → `Result<f64, JoinError>` |
//!
//! ## What the checker looks at
//!
//! - That the task is already running when your function returns: its timer
//!   starts at once, so it finishes `delay` after the call even if the handle
//!   is awaited later.
//! - The value the handle yields: within `0.0..=max_delay`, and equal to the
//!   time the task slept on the virtual clock (which jumps to the next timer,
//!   so grading is instant).
//! - Each case runs in its own process.

#[allow(unused_imports)]
use tokio::task::JoinHandle;

#[allow(unused_imports)]
use crate::wait_random::wait_random;

/// Spawns [`wait_random`]`(max_delay)` as a tokio task right away and returns
/// its handle.
#[allow(unused_variables)]
pub fn task_wait_random(max_delay: u64) -> JoinHandle<f64> {
    todo!()
}
