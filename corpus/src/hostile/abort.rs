//! Mistake: ends the process with std::process::abort() from inside the lesson: no panic,
//! no unwinding, no report.
//! Lesson: say_hello
//! Expect: aborted (SIGABRT)

/// Prints `Hello`, then aborts the whole process.
pub async fn say_hello() {
    println!("Hello");
    std::process::abort();
}
