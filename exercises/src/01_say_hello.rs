//! # Lesson 1: `async fn`, `.await`, and sleeping without blocking
//!
//! An `async fn` is a function that can pause part-way through and carry on
//! later. Calling it does **not** run its body. Instead you get back a
//! *future*: a value that describes the work still to do. Nothing happens until
//! that future is `.await`ed, or handed to a runtime such as tokio, which
//! drives it for you.
//!
//! Inside an `async fn`, `x.await` means "wait until `x` is done, and let other
//! work run in the meantime". Take `tokio::time::sleep(d).await`: your function
//! tells the runtime "wake me up in `d`" and steps aside, leaving the thread
//! free to run other futures until then. That is the whole idea of async code.
//! Waiting costs almost nothing, so one thread can handle many waits at once.
//!
//! Compare `std::thread::sleep(d)`, which freezes the whole thread. Nothing
//! else on that thread can run, including every other future the runtime is
//! looking after. In async code, always sleep with `tokio::time::sleep(..).await`.
//!
//! A classic first mistake is forgetting `.await`. Writing `sleep(d);` on its
//! own builds a future and throws it away, so there is no pause at all. The
//! compiler warns you about it: "futures do nothing unless you `.await` or poll
//! them".
//!
//! ## What to write
//!
//! `say_hello()` should:
//! 1. print `Hello`;
//! 2. sleep for 1 second with `tokio::time::sleep(Duration::from_secs(1))`;
//! 3. print `World`.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                | tokio                                                   |
//! |------------------------|---------------------------------------------------------|
//! | `async def` / `await x` | `async fn` / `x.await` (written after the value)       |
//! | `asyncio.sleep(1)`     | `tokio::time::sleep(Duration::from_secs(1))`            |
//! | `asyncio.run(main())`  | a tokio runtime (`#[tokio::main]`); here the checker builds it |
//!
//! ## What the checker looks at
//!
//! - The lines printed, in order, and *when* each one appears: `Hello` at 0 s
//!   and `World` at 1 s.
//! - Times are read from tokio's paused, virtual clock. Whenever every task is
//!   waiting, that clock jumps straight to the next timer, so a 1 s sleep is
//!   graded instantly but still reads exactly 1 s.
//! - `std::thread::sleep` does not move that clock (and it blocks the thread),
//!   so it is rejected.
//! - Each case runs in its own process, so one failure cannot spoil the others.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::sleep;

/// Prints `Hello`, sleeps 1 second without blocking, then prints `World`.
pub async fn say_hello() {
    todo!()
}
