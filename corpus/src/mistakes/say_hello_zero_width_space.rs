//! Mistake: prints `Hello` with a zero-width space after it (pasted from a web page): the line
//! looks right on any terminal, and is not `Hello`.
//! Lesson: say_hello
//! Headline: the same text but for an invisible character (U+200B)

use std::time::Duration;

use tokio::time::sleep;

/// `Hello\u{200b}`: one character more than it shows.
pub async fn say_hello() {
    println!("Hello\u{200b}");
    sleep(Duration::from_secs(1)).await;
    println!("World");
}
