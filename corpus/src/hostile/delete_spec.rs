//! Mistake: deletes a spec file of the course (found by absolute path, which the scratch
//! working directory does not hide), then does the lesson right.
//! Lesson: say_hello
//! Expect: changed or deleted spec files

use std::time::Duration;

/// The course's spec folder, as an absolute path known when the corpus was built.
const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

/// Deletes the last lesson's spec, then prints `Hello`, waits, prints `World`.
pub async fn say_hello() {
    let _ = std::fs::remove_file(format!("{SPECS}/12_measure_runtime.toml"));
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
