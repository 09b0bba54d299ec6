//! Mistake: calls std::process::exit(0) from inside the lesson: the process ends "successfully"
//! before the runner can report anything.
//! Lesson: say_hello
//! Expect: remove std::process::exit

/// Prints `Hello`, then exits the whole process with status 0.
pub async fn say_hello() {
    println!("Hello");
    std::process::exit(0);
}
