//! Mistake: nests folders ten thousand deep in its scratch folder, deeper than any path can
//! name (PATH_MAX), so that a cleanup by path fails. Then does the lesson right.
//! Lesson: say_hello
//! Expect: nested folders

use std::time::Duration;

/// Makes a folder inside a folder 10 000 times, entering each, then prints `Hello`, waits,
/// prints `World`.
pub async fn say_hello() {
    let name = "d".repeat(200);
    for _ in 0..10_000 {
        if std::fs::create_dir(&name).is_err() || std::env::set_current_dir(&name).is_err() {
            break;
        }
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
