//! Mistake: looks through `/proc` for the other cases the checker runs beside this one (their
//! command lines, their environment, their open files) and prints what it finds before doing
//! the lesson right: a visible case would show a hidden case's arguments. The thread that
//! runs a call is confined further than its process, with no `/proc` at all, so the first
//! read fails, and it panics with why.
//! Lesson: say_hello
//! Expect: Permission denied

use std::time::Duration;

/// Prints whatever `/proc` says about every process, then `Hello`, a 1 s sleep, `World`.
pub async fn say_hello() {
    let entries = match std::fs::read_dir("/proc") {
        Ok(entries) => entries,
        Err(error) => panic!("cannot list /proc: {error}"),
    };
    for entry in entries.flatten() {
        let dir = entry.path();
        for what in ["cmdline", "environ", "fd/3"] {
            if let Ok(bytes) = std::fs::read(dir.join(what)) {
                println!(
                    "{}: {}",
                    dir.join(what).display(),
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
    }
    match std::fs::read("/proc/self/fd/3") {
        Ok(bytes) => println!("own result channel: {}", String::from_utf8_lossy(&bytes)),
        Err(error) => panic!("cannot read /proc/self/fd/3: {error}"),
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
