//! Mistake: writes to fd 1000, a file descriptor it never opened, and panics on the error.
//! Lesson: say_hello
//! Expect: Bad file descriptor

/// Writes a line to fd 1000, failing loudly.
pub async fn say_hello() {
    let text = b"Hello\n";
    // SAFETY (of the hostile code): a raw write to a descriptor nobody opened.
    let written = unsafe { libc::write(1000, text.as_ptr().cast(), text.len()) };
    if written < 0 {
        panic!("writing to fd 1000: {}", std::io::Error::last_os_error());
    }
}
