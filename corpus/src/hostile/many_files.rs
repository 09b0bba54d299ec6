//! Mistake: creates a hundred thousand empty files in its scratch folder (a log file per
//! iteration gone wrong): no byte written, every inode taken. Then does the lesson right.
//! Lesson: say_hello
//! Expect: more files and folders than a case may

use std::time::Duration;

/// Creates up to 100 000 empty files, then prints `Hello`, waits, prints `World`.
pub async fn say_hello() {
    for n in 0..100_000 {
        if std::fs::File::create(format!("f{n}")).is_err() {
            break;
        }
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
