//! Mistake: sends SIGTERM to the checker (found among its ancestors), then does the lesson right:
//! it hopes for a partial report, written on the interrupt, that lists only what finished and reads
//! 100%.
//! Lesson: say_hello
//! Expect: sent a signal to the checker

use std::time::Duration;

/// Signals the checker, then prints `Hello`, sleeps 1 s and prints `World` as it should.
pub async fn say_hello() {
    // SAFETY: kill only sends; no memory is involved.
    unsafe {
        libc::kill(crate::hostile::checker_pid() as libc::pid_t, libc::SIGTERM);
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
