//! Mistake: awaits a channel that nobody will ever send on (the sender is kept alive, so the
//! receive never ends): the task never completes.
//! Lesson: wait_random
//! Expect: waited for something that never happens

use tokio::sync::mpsc;

/// Waits for a delay to arrive on a channel that stays silent.
pub async fn wait_random(max_delay: u64) -> f64 {
    let (sender, mut receiver) = mpsc::channel::<f64>(1);
    let delay = receiver.recv().await.unwrap_or(max_delay as f64);
    // Only here so that the sender lives as long as the wait.
    drop(sender);
    delay
}
