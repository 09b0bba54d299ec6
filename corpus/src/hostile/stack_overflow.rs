//! Mistake: a function that calls itself without a base case that is ever reached, until the
//! stack overflows (Rust then prints a message and aborts).
//! Lesson: say_hello
//! Expect: the stack overflowed

/// Prints `Hello`, then recurses without end.
pub async fn say_hello() {
    println!("Hello");
    let depth = deeper(0);
    println!("World {depth}");
}

/// Calls itself until the stack runs out; each frame holds a kilobyte, so that is quick.
fn deeper(n: u64) -> u64 {
    let frame = std::hint::black_box([n; 128]);
    // Never true: it keeps the compiler from calling the recursion unconditional.
    if frame[0] == u64::MAX {
        return 0;
    }
    deeper(n + 1) + frame[1]
}
