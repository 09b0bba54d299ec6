//! # Lesson 10: async streams, Rust's async generators
//!
//! An `Iterator` produces values one at a time when you call `next()`. A
//! *stream* (`futures::Stream`) is the async version: asking for the next item
//! gives you a future, so each item can take time to produce (here, a 1 s
//! sleep) without blocking the thread while it waits. Python writes this as an
//! `async def` containing `yield`. Rust has no stable `yield` for streams yet,
//! so you build one from a combinator in `futures::stream`:
//!
//! - `stream::iter(0..10).then(|_| async { ... })` turns each of the ten
//!   numbers into one async step. `then` (from `StreamExt`) runs the step and
//!   yields its output.
//! - `stream::unfold(state, |state| async move { ... })` is the general form.
//!   Each call returns `Some((item, next_state))`, or `None` to end the stream.
//!
//! Streams are lazy, just like futures. Building one does nothing. Each sleep
//! starts only when the consumer asks for the next item, and the consumer
//! receives one item per second: the first at 1 s, the tenth at 10 s.
//!
//! Your function returns `impl Stream<Item = f64>`: "some stream of `f64`", and
//! the compiler works out the exact type. That is why it is a plain `fn`, not
//! an `async fn`. It just builds the stream, and the waiting happens later,
//! while someone consumes it.
//!
//! ## What to write
//!
//! `async_generator()` returns a stream that, 10 times over, sleeps 1 second
//! and then yields a uniformly random `f64` in `0.0..=10.0`
//! (`rand::random_range(0.0..=10.0)`). It prints nothing. Use only `futures`,
//! `tokio` and `rand` (no extra crates).
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                   | tokio / futures                           |
//! |-------------------------------------------|-------------------------------------------|
//! | `async def gen(): ... yield x`            | `stream::iter(..).then(..)` or `stream::unfold(..)` |
//! | `async for x in gen()`                    | `while let Some(x) = stream.next().await` |
//! | `asyncio.sleep(1)`                        | `tokio::time::sleep(Duration::from_secs(1))` |
//! | `random.uniform(0, 10)`                   | `rand::random_range(0.0..=10.0)`          |
//!
//! ## What the checker looks at
//!
//! - Exactly 10 items, each within `0.0..=10.0` and not all alike.
//! - *When* each item arrives on the virtual clock: item `k` at `k` seconds
//!   (1 s, 2 s, ..., 10 s). A stream that sleeps 10 s up front, or yields
//!   everything at once, fails. The clock jumps to the next timer, so the
//!   10 s are graded instantly.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

use futures::Stream;
#[allow(unused_imports)]
use futures::stream::{self, StreamExt};
#[allow(unused_imports)]
use tokio::time::sleep;

/// A stream that, 10 times, sleeps 1 second and then yields a uniformly random
/// `f64` in `0.0..=10.0`.
pub fn async_generator() -> impl Stream<Item = f64> {
    // Replace this whole body. It is only here so the file compiles: it
    // panics with "not yet implemented" the first time the stream is polled.
    futures::stream::once(async { todo!() })
}
