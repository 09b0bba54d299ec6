//! Mistake: spins in an endless busy loop that never awaits: the executor's thread is never
//! given back, so the virtual clock stands still while the CPU burns.
//! Lesson: say_hello
//! Expect: a busy loop

/// Prints `Hello`, then spins forever.
pub async fn say_hello() {
    println!("Hello");
    let mut spins: u64 = 0;
    loop {
        spins = std::hint::black_box(spins.wrapping_add(1));
    }
}
