//! `bare-wait-n N`: runs the reference `wait_n(N, 10)` on tokio's paused clock, with none of
//! the checker around it, and prints the real seconds it took. The baseline of `checker bench`.

use std::time::Instant;

// getrandom's custom backend, which the course's builds select (runner/src/draws.rs): unseeded,
// it draws from the operating system, as the default backend would.
use asynclings_runner as _;

fn main() {
    let n: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        Some(Ok(n)) => n,
        _ => {
            eprintln!("usage: bare-wait-n N");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start tokio: {error}");
            std::process::exit(1);
        }
    };
    let started = Instant::now();
    let delays = runtime.block_on(solutions::wait_n::wait_n(n, 10));
    let seconds = started.elapsed().as_secs_f64();
    // Use the result, so the work cannot be optimised away.
    println!("{seconds:.6} {}", delays.len());
}
