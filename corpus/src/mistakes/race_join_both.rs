//! Mistake: awaits both contestants with join! and then picks the faster one: the right
//! name, but only after the slower one has arrived too.
//! Lesson: race
//! Headline: waited for both contestants

pub use solutions::race::{contestant, wait_with_progress};

/// Not a race: both run to the end.
pub async fn race(tortoise: f64, hare: f64) -> String {
    let (slow, fast) = tokio::join!(contestant("tortoise", tortoise), contestant("hare", hare));
    if hare < tortoise { fast } else { slow }
}
