//! Mistake: calls tokio's sleep without `.await`, so the sleep future is dropped unpolled.
//! Lesson: say_hello
//! Headline: did you forget `.await`?

use std::time::Duration;

use tokio::time::sleep;

/// The sleep future is created and dropped: no time passes.
// The mistake itself is the unused future, which rustc warns about.
#[allow(unused_must_use)]
pub async fn say_hello() {
    println!("Hello");
    sleep(Duration::from_secs(1));
    println!("World");
}
