//! Mistake: the random generator is kept across the `.await`, so the future is not `Send`
//! and `tokio::spawn` in the lessons built on it refuses it.
//! Lesson: wait_random
//! Expect: `ThreadRng` (a random generator) is still alive at an `.await`

use std::time::Duration;

use rand::RngExt;

pub async fn wait_random(max_delay: u64) -> f64 {
    let mut rng = rand::rng();
    let delay = rng.random_range(0.0..=max_delay as f64);
    tokio::time::sleep(Duration::from_secs_f64(delay)).await;
    // Used again after the await: the generator lives across it.
    let _check: f64 = rng.random_range(0.0..1.0);
    delay
}
