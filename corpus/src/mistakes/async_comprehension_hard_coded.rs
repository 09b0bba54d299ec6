//! Mistake: returns ten fixed numbers at once instead of collecting the generator.
//! Lesson: async_comprehension
//! Headline: hard-coded

/// Numbers that look right, made up on the spot.
pub async fn async_comprehension() -> Vec<f64> {
    vec![1.5, 7.25, 3.0, 9.75, 0.5, 4.5, 6.0, 2.25, 8.5, 5.75]
}
