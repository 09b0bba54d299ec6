//! Mistake: writes a file into the home folder, `/tmp`, the course's `specs/` (a new spec there
//! would stop every later run) and the checker's `target/` (where its own binary is), then
//! does the lesson right. Confined, every write fails, and it panics with why.
//! Lesson: say_hello
//! Expect: Permission denied

use std::path::PathBuf;
use std::time::Duration;

/// The name of every file it plants.
pub const MARKER: &str = "asynclings-planted-marker";

/// Where it plants: the home folder, /tmp, and specs/ and target/ of the course it was built
/// in (a build knows its own path).
pub fn targets() -> Vec<PathBuf> {
    let course = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut dirs = vec![
        PathBuf::from("/tmp"),
        course.join("specs"),
        course.join("target"),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home));
    }
    dirs.into_iter().map(|d| d.join(MARKER)).collect()
}

/// Plants [`MARKER`] everywhere, then prints `Hello`, a 1 s sleep, `World`.
pub async fn say_hello() {
    let mut errors = Vec::new();
    for path in targets() {
        if let Err(error) = std::fs::write(&path, "planted\n") {
            errors.push(format!("{}: {error}", path.display()));
        }
    }
    if !errors.is_empty() {
        panic!("cannot plant: {}", errors.join("; "));
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
