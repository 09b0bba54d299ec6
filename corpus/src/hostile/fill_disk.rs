//! Mistake: fills its scratch folder as fast as the kernel allows: `fallocate` reserves a
//! gigabyte per call (writing it instead where `fallocate` is refused), then closes a folder
//! (mode 000) over read-only files, so that a checker that is not root cannot remove them.
//! Then does the lesson right.
//! Lesson: say_hello
//! Expect: more disk than a case may

use std::io::Write as _;
use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

/// Reserves (or writes) 2 GiB in eight files, half of them in a closed folder, then prints
/// `Hello`, waits, prints `World`.
pub async fn say_hello() {
    let _ = std::fs::create_dir("closed");
    for n in 0..8 {
        let path = if n % 2 == 0 {
            format!("closed/fill-{n}")
        } else {
            format!("fill-{n}")
        };
        let Ok(mut file) = std::fs::File::create(&path) else {
            continue;
        };
        // KEEP_SIZE: the file stays empty, so the file-size limit never applies; the blocks
        // are reserved all the same.
        let reserved =
            unsafe { libc::fallocate(file.as_raw_fd(), libc::FALLOC_FL_KEEP_SIZE, 0, 256 << 20) }
                == 0;
        if !reserved {
            let chunk = vec![7u8; 1 << 20];
            for _ in 0..64 {
                if file.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400));
    }
    let _ = std::fs::set_permissions("closed", std::fs::Permissions::from_mode(0o000));
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
