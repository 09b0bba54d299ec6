//! # Lesson 2: awaiting several futures at once
//!
//! If you `.await` one future after another, each one starts only when the
//! previous one has finished, so their waits add up. Three one-second greetings
//! in a `for` loop take three seconds.
//!
//! Because futures are just values, you can build several of them first and
//! then wait for all of them *together*. `futures::future::join_all` takes a
//! collection of futures and returns a single future that polls them all, in
//! turns, on the current task. While one greeting sleeps, the next one gets to
//! print its `Hello` and start its own sleep. All the timers then run at the
//! same time, so the whole batch takes about as long as the slowest member:
//! one second, however many names there are.
//!
//! This is *concurrency*, not parallelism. Only one thread is needed: the
//! futures take turns at every `.await`, and that is enough because they spend
//! almost all of their time waiting.
//!
//! `join_all` gives its results back in the same order as its input, which is
//! handy when you need to know which result belongs to which future.
//! (`greet` returns `()`, so here there is nothing to keep.)
#![doc = include_str!("../pictures/02_greet.md")] // the right shape, drawn: exercises/pictures/02_greet.md
//! ## What to write
//!
//! - `greet(name)` prints `Hello, {name}`, sleeps 1 second, then prints
//!   `Goodbye, {name}`.
//! - `greet_all(names)` runs `greet` for every name concurrently and returns
//!   once all of them have finished: about 1 s in total, not 1 s per name.
//!   With `["Alice", "Bob"]`, that means `Hello, Alice` and `Hello, Bob` at
//!   0 s, then `Goodbye, Alice` and `Goodbye, Bob` at 1 s.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                        | tokio / futures                              |
//! |--------------------------------|----------------------------------------------|
//! | `asyncio.sleep(1)`             | `tokio::time::sleep(Duration::from_secs(1))` |
//! | `asyncio.gather(a, b, c)`      | `tokio::join!(a, b, c)` (a fixed number)     |
//! | `asyncio.gather(*coros)`       | `futures::future::join_all(iter)` (any number) |
//!
//! ## What the checker looks at
//!
//! - The lines printed and *when* each one appears on the virtual clock (which
//!   jumps to the next timer, so grading is instant). Every `Hello` must come
//!   at 0 s and every `Goodbye` at 1 s.
//! - The total time of `greet_all`: 1 s, for one name or for many. A loop of
//!   `.await`s takes 1 s per name, and `std::thread::sleep` is rejected.
//! - Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use futures::future::join_all;
#[allow(unused_imports)]
use tokio::time::sleep;

/// Prints `Hello, {name}`, sleeps 1 second, then prints `Goodbye, {name}`.
#[allow(unused_variables)]
pub async fn greet(name: &str) {
    todo!()
}

/// Runs [`greet`] for every name concurrently: about 1 second in total.
#[allow(unused_variables)]
pub async fn greet_all(names: &[&str]) {
    todo!()
}
