//! Mistake: stops its own process with SIGSTOP (as `kill -STOP` would). Every thread stops,
//! the runner's watchdog too, so nothing in the process can report: only the checker's own
//! limit (SIGTERM, then SIGKILL, to the case's process group) ends it.
//! Lesson: say_hello
//! Expect: stopped itself (SIGSTOP)

/// Prints `Hello`, then stops the whole process.
pub async fn say_hello() {
    println!("Hello");
    // SAFETY (of the hostile code): raise only sends a signal to this process; SIGSTOP stops
    // every thread of it, not just this one.
    unsafe { libc::raise(libc::SIGSTOP) };
    println!("World");
}
