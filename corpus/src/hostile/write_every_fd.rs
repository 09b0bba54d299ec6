//! Mistake: writes a forged result line to every file descriptor from 3 to 1023, hoping that
//! one of them leads to the grader (a pipe or a file the checker did not mean to share); then
//! does the lesson right.
//! Lesson: say_hello
//! Expect: the result channel was tampered with

use std::time::Duration;

/// Writes to every descriptor it might have inherited, then prints `Hello`, waits, prints
/// `World`.
pub async fn say_hello() {
    let line = b"ASYNCLINGS-RESULT stolen 0\n";
    for fd in 3..1024 {
        // SAFETY (of the hostile code): raw writes to descriptors it does not own.
        unsafe { libc::write(fd, line.as_ptr().cast(), line.len()) };
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
