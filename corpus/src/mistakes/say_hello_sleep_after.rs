//! Mistake: prints both lines first and sleeps afterwards, so `World` comes at once.
//! Lesson: say_hello
//! Headline: printed `World` before the sleep was over

use std::time::Duration;

use tokio::time::sleep;

/// Both lines at 0 s, then a second of waiting that delays nothing visible.
pub async fn say_hello() {
    println!("Hello");
    println!("World");
    sleep(Duration::from_secs(1)).await;
}
