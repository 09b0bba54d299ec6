//! Mistake: closes fd 3, the result channel, and opens a file of its own that takes its number,
//! so that the runner's report would go into the student's file; then does the lesson right.
//! Lesson: say_hello
//! Expect: closed or replaced the result channel

use std::os::fd::IntoRawFd;
use std::time::Duration;

/// Swaps fd 3 for a file in the working directory, then prints `Hello`, waits, prints `World`.
pub async fn say_hello() {
    // SAFETY (of the hostile code): closing a descriptor it does not own.
    unsafe { libc::close(3) };
    // The lowest free descriptor is 3 again: keep it open (into_raw_fd) for the runner to find.
    if let Ok(file) = std::fs::File::create("stolen-report") {
        let _ = file.into_raw_fd();
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
