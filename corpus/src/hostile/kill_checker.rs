//! Mistake: kills the checker (SIGKILL to the ancestor named `checker`), so that no report is
//! written at all, then does the lesson right. Confined, the signal cannot leave the case, and it
//! panics with why.
//! Lesson: say_hello
//! Expect: kill: Operation not permitted

use std::time::Duration;

/// Sends SIGKILL to the checker, then prints `Hello`, a 1 s sleep, `World`.
pub async fn say_hello() {
    // SAFETY (of the hostile code): kill only sends.
    if unsafe { libc::kill(crate::hostile::checker_pid() as libc::pid_t, libc::SIGKILL) } != 0 {
        panic!("kill: {}", std::io::Error::last_os_error());
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
