//! # Lesson 11: consuming a stream
//!
//! Lesson 10 built a stream. Now read it to the end and keep every item.
//! Python does this with an async comprehension, `[x async for x in gen()]`.
//! In Rust you use `StreamExt::collect`. It works like `Iterator::collect`,
//! except that it returns a future: awaiting it pulls items from the stream
//! one by one, waiting for each, until the stream ends. Tell it what to build,
//! either from the return type or with `collect::<Vec<f64>>()`.
//!
//! You could also write the loop yourself:
//!
//! ```text
//! let mut out = Vec::new();
//! let mut numbers = std::pin::pin!(async_generator());
//! while let Some(x) = numbers.next().await {
//!     out.push(x);
//! }
//! ```
//!
//! Notice the `pin!`: `next()` needs the stream to stay in one place in
//! memory while it is being polled, because an async block can hold
//! references into itself. `collect` takes the stream by value and handles
//! that for you, so prefer it when all you want is the whole list.
//!
//! Consuming the stream takes as long as producing it: about 10 s, one item
//! per second. The comprehension itself doesn't make anything concurrent. It
//! only waits for each item in turn (lesson 12 changes that).
//!
//! ## What to write
//!
//! `async_comprehension()` collects the 10 numbers yielded by
//! `crate::async_generator::async_generator()` into a `Vec<f64>` and returns
//! it. It prints nothing.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                              | tokio / futures                          |
//! |--------------------------------------|------------------------------------------|
//! | `[x async for x in async_generator()]` | `async_generator().collect::<Vec<f64>>().await` |
//! | `async for x in ...:`                | `while let Some(x) = stream.next().await` |
//!
//! ## What the checker looks at
//!
//! - 10 numbers, each within `0.0..=10.0`.
//! - That they come from `async_generator`, and the total time on the virtual
//!   clock: 10 s (it jumps to the next timer, so this is graded instantly).
//! - Each case runs in its own process.

#[allow(unused_imports)]
use futures::StreamExt;

#[allow(unused_imports)]
use crate::async_generator::async_generator;

/// Collects the 10 numbers of [`async_generator`] into a `Vec`.
pub async fn async_comprehension() -> Vec<f64> {
    todo!()
}
