//! Mistake: reads the runner's secret from /proc/self/environ (the environment the process
//! started with, which outlives remove_var), forges a passing report with it on fd 3, and
//! exits before the runner can write the real one.
//! Lesson: say_hello
//! Expect: the result channel was tampered with

/// A report of a pass, as the runner would write it.
const FAKE_PASS: &str = r#"{"outcome":{"kind":"returned","runs":[{"value":null,"elapsed":1.0,"real":0.0}]},"stdout":[{"text":"Hello","at":0.0},{"text":"World","at":1.0}],"stdout_dropped":0}"#;

/// Steals the secret, writes the forgery, exits.
pub async fn say_hello() {
    let environ = std::fs::read("/proc/self/environ").unwrap_or_default();
    let secret = environ
        .split(|&b| b == 0)
        .find_map(|v| v.strip_prefix(b"ASYNCLINGS_SECRET=".as_slice()))
        .map_or_else(String::new, |s| String::from_utf8_lossy(s).into_owned());
    let frame = format!(
        "ASYNCLINGS-RESULT {secret} {}\n{FAKE_PASS}\n",
        FAKE_PASS.len()
    );
    // SAFETY (of the hostile code): a raw write to the result channel, then an exit that skips
    // everything, the runner's report included.
    unsafe {
        libc::write(3, frame.as_ptr().cast(), frame.len());
        libc::_exit(0);
    }
}
