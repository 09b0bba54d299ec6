//! Mistake: a brace is missing, so the file does not even parse.
//! Lesson: say_hello
//! Expect: unclosed delimiter

use std::time::Duration;

pub async fn say_hello() {
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
