//! Mistake: reads the checker's command line (`/proc/<checker>/cmdline`, the checker found among
//! its ancestors), then every file of each `--specs` directory it names (and of `specs/` where the
//! checker runs), and prints them before doing the lesson right: hidden cases would reach the
//! student in the case's output. Confined, the first read fails, and it panics with why.
//! Lesson: say_hello
//! Expect: Permission denied

use std::path::PathBuf;
use std::time::Duration;

/// The spec directories of the checker that runs this case.
fn spec_dirs() -> Vec<PathBuf> {
    let checker = crate::hostile::checker_pid();
    let cmdline = std::fs::read(format!("/proc/{checker}/cmdline")).unwrap_or_default();
    let args: Vec<String> = cmdline
        .split(|&b| b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let cwd = std::fs::read_link(format!("/proc/{checker}/cwd"))
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")));
    // The last given first: private specs come after the public ones.
    let mut dirs: Vec<PathBuf> = args
        .windows(2)
        .filter(|pair| pair[0] == "--specs")
        .map(|pair| cwd.join(&pair[1]))
        .collect();
    dirs.reverse();
    dirs.push(cwd.join("specs"));
    dirs
}

/// Prints every spec it can read, then `Hello`, a 1 s sleep, `World`.
pub async fn say_hello() {
    for dir in spec_dirs() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) => panic!("cannot list {}: {error}", dir.display()),
        };
        for entry in entries.flatten() {
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => println!("{text}"),
                Err(error) => panic!("cannot read {}: {error}", entry.path().display()),
            }
        }
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
