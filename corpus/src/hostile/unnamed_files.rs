//! Mistake: writes six files of 64 MiB (the most one file may hold) and deletes each while
//! keeping it open: its folder looks empty, its disk is taken. Then does the lesson right,
//! holding the files.
//! Lesson: say_hello
//! Expect: more disk than a case may

use std::io::Write as _;
use std::time::Duration;

/// Writes and unlinks six 64 MiB files, keeps them open, then prints `Hello`, waits, prints
/// `World`, and blocks the thread a while with the files still open.
pub async fn say_hello() {
    let chunk = vec![7u8; 1 << 20];
    let mut held = Vec::new();
    for n in 0..6 {
        let name = format!("hidden-{n}");
        let Ok(mut file) = std::fs::File::create(&name) else {
            continue;
        };
        let _ = std::fs::remove_file(&name);
        for _ in 0..64 {
            if file.write_all(&chunk).is_err() {
                break;
            }
        }
        held.push(file);
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
    std::thread::sleep(Duration::from_secs(3));
    drop(held);
}
