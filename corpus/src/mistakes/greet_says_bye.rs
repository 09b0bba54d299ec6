//! Mistake: greet prints a bare `Bye` instead of `Goodbye, {name}`.
//! Lesson: greet
//! Headline: the goodbye line is `Bye`

use std::time::Duration;

use futures::future::join_all;
use tokio::time::sleep;

/// The second line forgets the wording and the name.
pub async fn greet(name: &str) {
    println!("Hello, {name}");
    sleep(Duration::from_secs(1)).await;
    println!("Bye");
}

/// Correct, but built on the wrong `greet`.
pub async fn greet_all(names: &[&str]) {
    join_all(names.iter().map(|name| greet(name))).await;
}
