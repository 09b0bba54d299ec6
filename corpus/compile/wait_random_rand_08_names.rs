//! Mistake: rand 0.8's names, from an older tutorial: `thread_rng()` and `gen_range`.
//! Lesson: wait_random
//! Expect: rand::rng()

use std::time::Duration;

use rand::Rng;

pub async fn wait_random(max_delay: u64) -> f64 {
    let delay = rand::thread_rng().gen_range(0.0..=max_delay as f64);
    tokio::time::sleep(Duration::from_secs_f64(delay)).await;
    delay
}
