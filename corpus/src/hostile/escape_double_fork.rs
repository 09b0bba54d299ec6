//! Mistake: double-forks a daemon into a new session (fork, setsid, fork, exit), the classic
//! way to leave a process group and lose one's parent; the daemon sleeps 1000 s. Then does the
//! lesson right.
//! Lesson: say_hello
//! Expect: left the case's process group

use std::ffi::CString;
use std::time::Duration;

/// Double-forks the daemon, then prints `Hello`, waits, prints `World`.
pub async fn say_hello() {
    // The checker's pid in its argv: the tests look for leftovers by this marker.
    let marker = format!("asynclings-escapee-{}", crate::hostile::checker_pid());
    double_fork(&["sh", "-c", "sleep 1000; :", &marker]);
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}

/// Starts `/bin/sh` with `words` as its argv in a new session, as a grandchild whose parent
/// has already exited.
fn double_fork(words: &[&str]) {
    let Ok(args) = words
        .iter()
        .map(|w| CString::new(*w))
        .collect::<Result<Vec<_>, _>>()
    else {
        return;
    };
    let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    // SAFETY (of the hostile code): between fork and exec only async-signal-safe calls
    // (setsid, fork, execv, _exit), on memory prepared before the fork.
    unsafe {
        let middle = libc::fork();
        if middle == 0 {
            libc::setsid();
            if libc::fork() == 0 {
                libc::execv(c"/bin/sh".as_ptr(), argv.as_ptr());
            }
            libc::_exit(0);
        }
        if middle > 0 {
            libc::waitpid(middle, std::ptr::null_mut(), 0);
        }
    }
}
