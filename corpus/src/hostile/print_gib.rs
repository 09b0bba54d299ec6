//! Mistake: prints a gibibyte to stdout (a print in a loop gone wrong).
//! Lesson: say_hello
//! Expect: printed more than the checker allows

/// Prints 1 GiB: 2^20 lines of 1 KiB.
pub async fn say_hello() {
    let line = "x".repeat(1023);
    for _ in 0..(1 << 20) {
        println!("{line}");
    }
}
