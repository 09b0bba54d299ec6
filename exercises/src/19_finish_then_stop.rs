//! # Lesson 19: graceful shutdown
//!
//! Lesson 16 stopped a task with `abort`: it stops wherever it is waiting.
//! That suits a ticker, which loses nothing. A worker in the middle of a job
//! (writing a file, moving money) should not stop half way: told to stop, it
//! should *finish the job it is on*, start no other, and exit. That is a
//! graceful shutdown, and it needs the worker's cooperation: instead of
//! being cancelled from outside, the worker is *told*, and looks at the news
//! at a moment of its choosing, between two jobs.
//!
//! The message can travel on a `tokio::sync::watch` channel, made for a
//! value that changes now and then and that readers look at when they like:
//! `let (tx, rx) = watch::channel(false);`. The worker gets `rx` and checks
//! `*rx.borrow()` before each job; at the stop, `tx.send(true)` changes the
//! value. (`tokio_util::sync::CancellationToken` does the same with
//! `token.cancel()` and `token.is_cancelled()`, and is the usual tool in
//! larger programs.) Then await the worker's `JoinHandle`: it returns once the
//! worker has finished its last job and exited, with what the worker
//! returned. asyncio has the same pattern with an `asyncio.Event` that the
//! worker checks between jobs.
//!
//! Two shortcuts lose work. `handle.abort()` stops the worker in the middle of
//! its job. So does a `select!` in the worker between the job and the stop
//! signal: when the signal wins, the job's future is dropped, half done (lesson
//! 15). Check the signal *between* jobs, not during one.
//!
//! ## What to write
//!
//! `finish_then_stop(jobs, stop)` spawns one worker that does the `jobs` one
//! after another: job `j` is a sleep of `j` seconds, after which the worker
//! prints `finished {j}`. At `stop` seconds the function tells the worker to
//! stop. The worker finishes the job it is on (if any), starts no other, and
//! returns the jobs it finished, in order. The function returns them once
//! the worker has exited. If every job is done before the stop, the worker
//! ends early, and the call still returns at `stop`.
//!
//! For example, `jobs = [1, 2, 3, 4]` with `stop = 2.5`: job 1 ends at 1 s,
//! job 2 runs from 1 s to 3 s. The stop comes at 2.5 s, during job 2, which is
//! finished at 3 s. Jobs 3 and 4 never start. The call returns `[1, 2]` at
//! 3 s.
//!
//! ## From asyncio to tokio
//!
//! | asyncio                                  | tokio                                              |
//! |------------------------------------------|----------------------------------------------------|
//! | `stop = asyncio.Event()`                 | `let (tx, rx) = watch::channel(false);`            |
//! | `if stop.is_set(): break` between jobs   | `if *rx.borrow() { break; }` between jobs          |
//! | `stop.set()`                             | `tx.send(true)`                                    |
//! | `await worker` (the task)                | `worker.await` (the `JoinHandle`)                  |
//!
//! ## What the checker looks at
//!
//! - The jobs finished, in order: every job started before the stop, the one
//!   under way included, and no other.
//! - When each `finished` line is printed, and when the call returns: at the
//!   end of the job under way at the stop, to the millisecond.
//! - Nothing more afterwards: the checker lets more virtual time pass, and no
//!   other job may finish.
//! - `std::thread::sleep` is rejected. Each case runs in its own process.

#[allow(unused_imports)]
use std::time::Duration;

#[allow(unused_imports)]
use tokio::sync::watch;
#[allow(unused_imports)]
use tokio::time::sleep;

/// Runs `jobs` (seconds of work each) one after another in a worker task,
/// which prints `finished {job}` after each. At `stop` seconds it tells the
/// worker to stop: the worker finishes the job it is on, starts no other, and
/// exits. Returns the jobs the worker finished, in order, once it has exited
/// (at `stop` at the earliest).
#[allow(unused_variables)]
pub async fn finish_then_stop(jobs: Vec<f64>, stop: f64) -> Vec<f64> {
    todo!()
}
