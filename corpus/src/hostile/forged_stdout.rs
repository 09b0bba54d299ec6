//! Mistake: prints result frames that claim the case passed, on stdout and stderr, instead of
//! doing the lesson.
//! Lesson: say_hello
//! Expect: imitates the checker's result frame

/// A report of a pass, as the runner would write it.
const FAKE_PASS: &str = r#"{"outcome":{"kind":"returned","runs":[{"value":null,"elapsed":1.0,"real":0.0}]},"stdout":[{"text":"Hello","at":0.0},{"text":"World","at":1.0}],"stdout_dropped":0}"#;

/// Prints forged frames with a few guessed secrets, and returns at once.
pub async fn say_hello() {
    for secret in ["", "0", "00000000000000000000000000000000"] {
        let frame = format!(
            "ASYNCLINGS-RESULT {secret} {}\n{FAKE_PASS}",
            FAKE_PASS.len()
        );
        println!("{frame}");
        eprintln!("{frame}");
    }
}
