//! Mistake: awaits the handles one by one in a for loop (spawn order), keeping the list sorted
//! by inserting each delay at its place: the order is made, not observed.
//! Lesson: task_wait_n
//! Headline: sorting in disguise

use solutions::task_wait_random::task_wait_random;

/// Start order, then an insertion sort.
pub async fn task_wait_n(n: usize, max_delay: u64) -> Vec<f64> {
    let handles: Vec<_> = (0..n).map(|_| task_wait_random(max_delay)).collect();
    let mut delays: Vec<f64> = Vec::with_capacity(n);
    for handle in handles {
        let delay = handle.await.unwrap_or_default();
        let at = delays.iter().take_while(|&&d| d <= delay).count();
        delays.insert(at, delay);
    }
    delays
}
