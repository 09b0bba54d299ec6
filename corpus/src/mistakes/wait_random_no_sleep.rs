//! Mistake: draws the delay and returns it without sleeping at all.
//! Lesson: wait_random
//! Headline: without waiting at all

/// Returns at once, with a delay that never happened.
pub async fn wait_random(max_delay: u64) -> f64 {
    rand::random_range(0.0..=max_delay as f64)
}
