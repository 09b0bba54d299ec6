//! Mistake: uses tokio::select! instead of join!, returning as soon as the first comprehension
//! finishes and cancelling the other three.
//! From: <https://www.rustfaq.org/en/what-is-the-difference-between-join-and-select-in-async/> (select! returns on the first completion and drops the rest)
//! Lesson: measure_runtime
//! Headline: `select!` ends as soon as the first comprehension ends
//! Not: never calls

use solutions::async_comprehension::async_comprehension;
use std::time::Duration;
use tokio::time::Instant;

/// The mistake, as a student wrote it (see the header).
pub async fn measure_runtime() -> Duration {
    let start = Instant::now();
    tokio::select! {
        _ = async_comprehension() => {}
        _ = async_comprehension() => {}
        _ = async_comprehension() => {}
        _ = async_comprehension() => {}
    }
    start.elapsed()
}
