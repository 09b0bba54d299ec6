//! Mistake: opens TCP connections, to 127.0.0.1 and to `[::1]` on port [`PORT`], and sends data
//! (the solutions, a student's work, the hidden cases...) before doing the lesson right.
//! Confined, the connection cannot be made, and it panics with why.
//! Lesson: say_hello
//! Expect: Permission denied

use std::io::Write;
use std::time::Duration;

/// The port it connects to; `checker/tests/it/hostile/sandbox.rs` listens there.
pub const PORT: u16 = 47_613;
/// What it sends.
pub const MESSAGE: &[u8] = b"asynclings-exfiltrated\n";

/// Sends [`MESSAGE`] to both addresses, then prints `Hello`, a 1 s sleep, `World`.
pub async fn say_hello() {
    for address in [format!("127.0.0.1:{PORT}"), format!("[::1]:{PORT}")] {
        match std::net::TcpStream::connect(&address) {
            Ok(mut stream) => {
                let _ = stream.write_all(MESSAGE);
            }
            Err(error) => panic!("cannot connect to {address}: {error}"),
        }
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
