//! Mistake: prints bytes that would drive a terminal: invalid UTF-8, a NUL, "clear the screen",
//! "set the window title" and the bell.
//! Lesson: say_hello
//! Expect: line 1: expected `Hello`

use std::io::Write;
use std::time::Duration;

use tokio::time::sleep;

/// Prints escape sequences instead of `Hello`.
pub async fn say_hello() {
    let _ = std::io::stdout().write_all(b"Hello \xff\xfe\x00\x1b[2J\x1b]0;owned\x07\n");
    sleep(Duration::from_secs(1)).await;
    println!("World");
}
