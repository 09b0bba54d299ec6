//! Mistake: tries to be root (setuid(0), setgid(0)) and to write into `/etc`, as a grader that
//! runs as root (Gradescope, many CI images) would let it. Confined, it is `nobody` with
//! `no_new_privs`, every attempt fails, and it panics with why.
//! Lesson: say_hello
//! Expect: setuid(0): Operation not permitted

use std::time::Duration;

/// The file it tries to write.
pub const ETC_MARKER: &str = "/etc/asynclings-planted-marker";

/// Tries to become root and write to /etc, then prints `Hello`, a 1 s sleep, `World`.
pub async fn say_hello() {
    let mut failures = Vec::new();
    // SAFETY (of the hostile code): setuid and setgid take integers.
    if unsafe { libc::setuid(0) } != 0 {
        failures.push(format!("setuid(0): {}", std::io::Error::last_os_error()));
    }
    // SAFETY (of the hostile code): as above.
    if unsafe { libc::setgid(0) } != 0 {
        failures.push(format!("setgid(0): {}", std::io::Error::last_os_error()));
    }
    if let Err(error) = std::fs::write(ETC_MARKER, "planted\n") {
        failures.push(format!("{ETC_MARKER}: {error}"));
    }
    if failures.len() == 3 {
        panic!("{}", failures.join("; "));
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
