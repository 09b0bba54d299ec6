//! Mistake: forks a child that ignores SIGTERM and waits forever in the case's process group
//! (it has no watchdog: fork copies only the calling thread), then stops itself with SIGSTOP
//! (its watchdog with it). The group's SIGTERM ends neither process: only the checker's
//! SIGKILL to the whole group does, and no process may be left afterwards.
//! Lesson: say_hello
//! Expect: stopped itself (SIGSTOP)

/// Prints `Hello`, leaves a SIGTERM-proof child behind, then stops the whole process.
pub async fn say_hello() {
    println!("Hello");
    // SAFETY (of the hostile code): after fork, the child makes only async-signal-safe calls
    // (signal, pause) and never returns; the parent only sends itself a signal.
    unsafe {
        if libc::fork() == 0 {
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
            loop {
                libc::pause();
            }
        }
        libc::raise(libc::SIGSTOP);
    }
    println!("World");
}
