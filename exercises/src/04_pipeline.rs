//! # Lesson 4: chaining async steps
//!
//! Concurrency only helps when the jobs are independent. Here, each step needs
//! the previous step's output: you cannot process data you have not fetched
//! yet. So you simply `.await` the steps one after the other, passing each
//! result on to the next step, and their times add up: 1 s + 1 s = 2 s.
//!
//! Code like this reads just like ordinary sequential code. `let data =
//! fetch_data().await;` gives you a plain `String`, not a future or a callback.
//! Yet while your function waits at each `.await`, the runtime is free to run
//! other tasks. Being async changes what the *thread* does while you wait, not
//! the order of your own steps.
//!
//! Async functions can also take arguments and return values like any other
//! function. The returned value is what `.await` hands back. `process_data`
//! takes its `String` by value, so the future it returns owns its input and
//! borrows nothing from the caller.
//!
//! ## What to write
//!
//! - `fetch_data()` prints `Fetching data...`, sleeps 1 second, and returns
//!   `"data"`.
//! - `process_data(data)` prints `Processing {data}...` (so `Processing
//!   data...`), sleeps 1 second, and returns `"processed data"`.
//! - `pipeline()` awaits `fetch_data()`, passes its result to `process_data`,
//!   awaits that, then prints `Final result: {processed}` (that is, `Final
//!   result: processed data`). About 2 seconds in total.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                           | tokio                                    |
//! |-----------------------------------|------------------------------------------|
//! | `data = await fetch_data()`       | `let data = fetch_data().await;`         |
//! | `asyncio.sleep(1)`                | `tokio::time::sleep(Duration::from_secs(1))` |
//! | f-string `f"Processing {data}..."` | `println!("Processing {data}...")`      |
//!
//! ## What the checker looks at
//!
//! - The values returned by `fetch_data` and `process_data`.
//! - The lines printed and *when* each one appears on the virtual clock:
//!   `Fetching data...` at 0 s, `Processing data...` at 1 s, and
//!   `Final result: processed data` at 2 s. The clock jumps to the next timer,
//!   so this is graded instantly.
//! - `std::thread::sleep` is rejected: it does not move the virtual clock.
//! - Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::time::sleep;

/// Prints `Fetching data...`, sleeps 1 second and returns `"data"`.
pub async fn fetch_data() -> String {
    todo!()
}

/// Prints `Processing {data}...`, sleeps 1 second and returns
/// `"processed data"`.
#[allow(unused_variables)]
pub async fn process_data(data: String) -> String {
    todo!()
}

/// Runs [`fetch_data`], then [`process_data`] on its result, then prints
/// `Final result: {processed}`. About 2 seconds.
pub async fn pipeline() {
    todo!()
}
