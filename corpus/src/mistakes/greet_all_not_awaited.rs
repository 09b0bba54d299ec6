//! Mistake: greet_all spawns a task per name and returns without awaiting any of them.
//! Lesson: greet
//! Headline: never awaited

pub use solutions::greet::greet;

/// The tasks are started and forgotten: the function returns at once.
pub async fn greet_all(names: &[&str]) {
    for name in names {
        let name = name.to_string();
        tokio::spawn(async move { greet(&name).await });
    }
}
