//! # Lesson 18: ticks on a schedule, with `interval`
//!
//! A program that polls a server every second, or saves every minute, wants
//! its ticks on a *schedule*: at 0 s, 1 s, 2 s, ... whatever each round of
//! work costs. A loop of `do_work().await; sleep(period).await;` does not
//! keep one. Each round lasts the period *plus* the work, and the ticks drift
//! later and later.
//!
//! `tokio::time::interval(period)` keeps the schedule. Each
//! `ticks.tick().await` waits until the next tick's deadline: `start`,
//! `start + period`, `start + 2 * period`, ... The work done between two ticks
//! does not push the schedule back. Two things differ from what you may
//! expect, and from asyncio, which has no interval (you write the sleep loop
//! yourself):
//!
//! - **The first tick completes at once.** The schedule starts at the moment
//!   you create the interval, and its first deadline is that moment. So a
//!   loop of `tick().await` then work runs its first round immediately. Do not
//!   do a first round *before* the loop "because tick waits": that round runs
//!   twice at 0 s.
//! - **Missed ticks.** When a round of work takes longer than the period, a
//!   deadline passes while you are busy. What then is set with
//!   `ticks.set_missed_tick_behavior(..)`, a `MissedTickBehavior`:
//!   - `Burst` (the default): the missed ticks come at once, one after the
//!     other, until the schedule is caught up; then it holds.
//!   - `Delay`: the late tick comes at once, and the schedule starts over
//!     from it: the next tick is one period after the late one.
//!   - `Skip`: the late tick comes at once, the other missed ticks are
//!     dropped, and the next tick is the next one of the original schedule.
//!
//! With `period = 1` and a first work of 2.5 s (then 0.1 s each), the ticks of
//! 1 s and 2 s are missed. Burst ticks at 0, 2.5, 2.6, 3, 4 s; Delay at 0,
//! 2.5, 3.5, 4.5, 5.5 s; Skip at 0, 2.5, 3, 4, 5 s.
//!
//! ## What to write
//!
//! `tick_every(period, work, behavior)` makes one interval of `period`
//! seconds, with the missed-tick behaviour named by `behavior` (`"burst"`,
//! `"delay"` or `"skip"`). It ticks once per item of `work`: after tick `k`
//! (from 1) it prints `tick {k}`, then works `work[k - 1]` seconds (a sleep)
//! before waiting for the next tick. It returns after the last work. No work,
//! no tick.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                          | tokio                                             |
//! |--------------------------------------------------|---------------------------------------------------|
//! | `while True: await work(); await asyncio.sleep(p)` (drifts) | `let mut ticks = interval(p); loop { ticks.tick().await; work().await; }` |
//! | computing the next deadline by hand with `loop.time()` | `MissedTickBehavior::Burst`, `Delay` or `Skip` |
//!
//! ## What the checker looks at
//!
//! - When each `tick` line is printed, on the virtual clock, to the
//!   millisecond: the first at 0 s, then on the schedule, and after a slow
//!   work as the chosen behaviour says.
//! - The total time: the last tick plus the last work.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::{MissedTickBehavior, interval, sleep};

/// Ticks every `period` seconds with `tokio::time::interval`, the first tick
/// at once, one tick per item of `work`: after tick `k` (from 1) it prints
/// `tick {k}`, then works `work[k - 1]` seconds before waiting for the next
/// tick. Missed ticks are made up as `behavior` says: `"burst"`, `"delay"` or
/// `"skip"`. Returns after the last work.
///
/// # Panics
///
/// If `period` is not positive, or `behavior` is another text.
#[allow(unused_variables)]
pub async fn tick_every(period: f64, work: Vec<f64>, behavior: &str) {
    todo!()
}
