//! Mistake: sends SIGTERM to its parent, the checker, then does the lesson right: it hopes for a
//! partial report, written on the interrupt, that lists only what finished and reads 100%.
//! Lesson: say_hello
//! Expect: sent a signal to the checker

use std::time::Duration;

/// Signals the checker, then prints `Hello`, sleeps 1 s and prints `World` as it should.
pub async fn say_hello() {
    // SAFETY: getppid and kill only read and send; no memory is involved.
    unsafe {
        libc::kill(libc::getppid(), libc::SIGTERM);
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
