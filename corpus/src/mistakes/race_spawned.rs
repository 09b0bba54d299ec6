//! Mistake: spawns both contestants and races their JoinHandles: the winner comes back in
//! time, but dropping the loser's handle does not cancel its task, which arrives later.
//! Lesson: race
//! Headline: the loser went on running after the race

pub use solutions::race::{contestant, wait_with_progress};

/// The loser is detached, not cancelled.
pub async fn race(tortoise: f64, hare: f64) -> String {
    let slow = tokio::spawn(contestant("tortoise", tortoise));
    let fast = tokio::spawn(contestant("hare", hare));
    let joined = tokio::select! {
        name = slow => name,
        name = fast => name,
    };
    joined.expect("a contestant does not panic")
}
