//! Mistake: greet_all awaits each greeting in a loop, so they run one after another.
//! Lesson: greet
//! Headline: ran the greetings one after another

pub use solutions::greet::greet;

/// One second per name instead of one second in all.
pub async fn greet_all(names: &[&str]) {
    for name in names {
        greet(name).await;
    }
}
