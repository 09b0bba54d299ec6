//! Mistake: returns the expected ten seconds without running anything.
//! Lesson: measure_runtime
//! Headline: hard-coded

use std::time::Duration;

/// The answer, not a measure.
pub async fn measure_runtime() -> Duration {
    Duration::from_secs(10)
}
