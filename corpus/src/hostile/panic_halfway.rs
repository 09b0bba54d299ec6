//! Mistake: panics halfway through the lesson, after printing the first line.
//! Lesson: say_hello
//! Expect: panicked at

/// Prints `Hello`, then gives up with a panic instead of sleeping.
pub async fn say_hello() {
    println!("Hello");
    panic!("hostile: gave up halfway");
}
