//! Mistake: starts a process that leaves the case's process group and session (setsid) and
//! sleeps for 1000 s, a daemon that outlives the case; then does the lesson right.
//! Lesson: say_hello
//! Expect: left the case's process group

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the daemon, waits until it has left the group, then does the lesson.
pub async fn say_hello() {
    // The checker's pid in its argv: the tests look for leftovers by this marker.
    let marker = format!("asynclings-escapee-{}", crate::hostile::checker_pid());
    // `; :` keeps the shell (and the marker in its argv) alive instead of exec'ing sleep.
    #[allow(clippy::zombie_processes)] // a hostile daemon: nobody waits for it on purpose
    let daemon = Command::new("setsid")
        .args(["sh", "-c", "sleep 1000; :", &marker])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Ok(daemon) = daemon {
        wait_until_escaped(daemon.id());
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}

/// Waits (at most 2 s) until process `pid` is in a process group other than ours.
fn wait_until_escaped(pid: u32) {
    // SAFETY (of the hostile code): getpgrp has no preconditions.
    let own = unsafe { libc::getpgrp() };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let group = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(2))
            .and_then(|g| g.parse::<i32>().ok());
        if group.is_some_and(|g| g != own) {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
