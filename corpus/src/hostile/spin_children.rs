//! Mistake: forks two hundred child processes that spin forever (each process has its own
//! CPU time limit, so none reaches it soon), then blocks.
//! Lesson: say_hello
//! Expect: used more than one core

use std::time::Duration;

/// Forks 200 spinning children, prints `Hello`, then blocks for a minute.
pub async fn say_hello() {
    for _ in 0..200 {
        // SAFETY (of the hostile code): the child only spins, with no allocation or lock.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            let mut spins: u64 = 0;
            loop {
                spins = std::hint::black_box(spins.wrapping_add(1));
            }
        }
    }
    println!("Hello");
    std::thread::sleep(Duration::from_secs(60));
}
