//! # Lesson 17: a producer and a consumer over a bounded channel
//!
//! Tasks often hand values to one another: one task reads lines, another
//! parses them; one fetches pages, another stores them. A *channel* is the
//! pipe between them. In tokio, `tokio::sync::mpsc::channel(capacity)` gives
//! a `Sender` and a `Receiver`: `tx.send(item).await` puts an item in,
//! `rx.recv().await` takes the next one out, in the order they went in.
//!
//! The `capacity` is what makes the channel *bounded*: it holds at most that
//! many items. When it is full, `send` waits until the consumer takes one.
//! That waiting is **backpressure**: a fast producer is held back to the pace
//! of a slow consumer, instead of piling up items in memory without limit.
//! `mpsc::unbounded_channel()` has no limit and no backpressure; its `send`
//! never waits. asyncio's `Queue(maxsize=k)` behaves like the bounded channel,
//! `Queue()` like the unbounded one.
//!
//! How does the consumer know that no more items will come? asyncio needs a
//! sentinel value or `task_done`/`join`. In tokio, `recv()` returns `None`
//! once the channel is empty *and every `Sender` is dropped*. So the producer
//! owns the sender: move it into the producer's task, and when the task ends
//! the sender is dropped and the consumer's `while let Some(item) =
//! rx.recv().await` loop ends after the last item. Keep a clone of the sender
//! anywhere else (`let tx2 = tx.clone();` for later, or `tx` itself in the
//! calling function after moving a clone into the task) and the channel never
//! closes: the consumer waits forever.
//!
//! ## What to write
//!
//! `produce_consume(n, capacity, work)` makes a channel of `capacity` items
//! (at least 1) and runs two sides at the same time:
//!
//! - a producer, in a task of its own, that sends `0, 1, ..., n - 1` and
//!   prints `sent {i}` right after each `send` returns;
//! - a consumer, in the function itself, that receives the items one at a
//!   time and works on each for `work` seconds (a sleep) before taking the
//!   next.
//!
//! It returns the items in the order the consumer received them, as soon as
//! the consumer is done: when the producer has ended and the last item is
//! worked on. It prints nothing else.
//!
//! For example, with `n = 6`, `capacity = 2`, `work = 1`: at 0 s the producer
//! fills the channel with 0 and 1; the consumer takes 0, which makes room, so
//! 2 is sent at 0 s too. Then the producer waits. Each time the consumer
//! takes the next item, one more is sent: 3 at 1 s, 4 at 2 s, 5 at 3 s. The
//! consumer finishes the last item at 6 s and returns `[0, 1, 2, 3, 4, 5]`.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                | tokio                                              |
//! |----------------------------------------|----------------------------------------------------|
//! | `q = asyncio.Queue(maxsize=capacity)`  | `let (tx, mut rx) = mpsc::channel(capacity);`      |
//! | `await q.put(item)`                    | `tx.send(item).await` (an error if the receiver is gone) |
//! | `item = await q.get()`                 | `rx.recv().await`: `Some(item)`, or `None` at the end |
//! | a sentinel (`None`) to say "done"      | dropping every `Sender`                            |
//! | `asyncio.Queue()` (no limit)           | `mpsc::unbounded_channel()`                        |
//!
//! ## What the checker looks at
//!
//! - The items, in order, and the total time: `n * work`, the consumer's.
//! - When each item was sent (the time of each `sent` line): no more than
//!   `capacity` items ahead of the consumer, exactly, on the virtual clock.
//!   An unbounded channel sends everything at 0 s.
//! - That the call ends: a consumer waiting on a sender that is never dropped
//!   does not.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::sync::mpsc;
#[allow(unused_imports)]
use tokio::time::sleep;

/// Sends `0, 1, ..., n - 1` through a channel that holds at most `capacity`
/// items (at least 1), from a producer task that prints `sent {i}` after each
/// send, to a consumer that works `work` seconds on each item. Returns the
/// items in the order they were received, once the producer has ended and
/// every item is worked on.
#[allow(unused_variables)]
pub async fn produce_consume(n: u32, capacity: usize, work: f64) -> Vec<u32> {
    todo!()
}
