//! Mistake: starts two hundred OS threads that spin forever, then blocks: every core of the
//! machine is taken from the other cases (a parallel computation gone wrong). Safe code, as a
//! student could write it.
//! Lesson: say_hello
//! Expect: used more than one core

use std::time::Duration;

/// Starts 200 spinning threads, prints `Hello`, then blocks for a minute.
pub async fn say_hello() {
    for _ in 0..200 {
        std::thread::spawn(|| {
            let mut spins: u64 = 0;
            loop {
                spins = std::hint::black_box(spins.wrapping_add(1));
            }
        });
    }
    println!("Hello");
    std::thread::sleep(Duration::from_secs(60));
}
