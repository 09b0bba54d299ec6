//! Mistake: writes a forged result frame (a pass, with a guessed secret) to fd 3, the result
//! channel it does not own, then does the lesson right.
//! Lesson: say_hello
//! Expect: the result channel was tampered with

use std::time::Duration;

/// A report of a pass, as the runner would write it.
const FAKE_PASS: &str = r#"{"outcome":{"kind":"returned","runs":[{"value":null,"elapsed":1.0,"real":0.0}]},"stdout":[{"text":"Hello","at":0.0},{"text":"World","at":1.0}],"stdout_dropped":0}"#;

/// Writes the forgery to fd 3, then prints `Hello`, waits, prints `World`.
pub async fn say_hello() {
    let frame = format!(
        "ASYNCLINGS-RESULT {} {}\n{FAKE_PASS}\n",
        "0".repeat(32),
        FAKE_PASS.len()
    );
    // SAFETY (of the hostile code): a raw write to a descriptor; fd 3 stays open.
    unsafe { libc::write(3, frame.as_ptr().cast(), frame.len()) };
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
