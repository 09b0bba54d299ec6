//! Mistake: loops on tokio::task::yield_now() forever: it gives the executor back at every
//! turn, but there is always work (itself), so the runtime never idles and the virtual clock
//! never moves.
//! Lesson: say_hello
//! Expect: a yield_now loop

/// Prints `Hello`, then yields forever.
pub async fn say_hello() {
    println!("Hello");
    loop {
        tokio::task::yield_now().await;
    }
}
