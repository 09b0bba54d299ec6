//! Mistake: `#[tokio::main]` on the lesson's function, as on a program's `main`.
//! Lesson: measure_runtime
//! Expect: `#[tokio::main]` turned it into a plain function

use std::time::Duration;

use tokio::time::Instant;

use crate::async_comprehension::async_comprehension;

#[tokio::main(flavor = "current_thread")]
pub async fn measure_runtime() -> Duration {
    let start = Instant::now();
    tokio::join!(
        async_comprehension(),
        async_comprehension(),
        async_comprehension(),
        async_comprehension()
    );
    start.elapsed()
}
