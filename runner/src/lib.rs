//! The child side of the asynclings checker.
//!
//! Each implementation of the course (the students' `exercises`, the reference `solutions`,
//! the corpus of wrong implementations) has a small binary whose `main` is
//! `asynclings_runner::main(course_bindings!(krate))`. The checker runs that binary once per
//! case: it calls one function on tokio's paused clock and reports what it observed (values,
//! virtual and real time, printed lines and when, panics) on a result channel of its own.

mod bindings;
mod capture;
mod course;
mod execute;
mod panics;
pub mod protocol;
mod watchdog;

use std::fs::File;
use std::io::Write;
use std::os::fd::FromRawFd;
use std::sync::Mutex;
use std::time::Duration;

pub use bindings::{Args, Binding, Bindings, Call, Report, TaskHandle, arg};
pub use protocol::Shape;

#[doc(hidden)]
pub use futures as __futures;

use capture::StdoutCapture;
use protocol::{CaseReport, CaseRequest, Outcome};

/// Environment variable naming the variant of a multi-implementation runner (the corpus).
pub const VARIANT_ENV: &str = "ASYNCLINGS_VARIANT";

/// The result channel; taken by whoever reports first (the case or the watchdog).
static RESULT: Mutex<Option<(File, String)>> = Mutex::new(None);

/// Runs as a runner binary over the bindings of one implementation. Never returns.
///
/// `RUNNER --manifest` prints the binding table as JSON; `RUNNER --case` runs the case the
/// checker passed in the environment and reports it on fd 3.
pub fn main(bindings: Bindings) -> ! {
    main_with_variants(|_| Ok(bindings))
}

/// Like [`main`], for a binary holding several implementations, chosen by
/// [`VARIANT_ENV`] (unset: `None`).
pub fn main_with_variants(select: impl FnOnce(Option<&str>) -> Result<Bindings, String>) -> ! {
    let variant = std::env::var(VARIANT_ENV).ok();
    let bindings = match select(variant.as_deref()) {
        Ok(bindings) => bindings,
        Err(message) => fail(&message),
    };
    match std::env::args().nth(1).as_deref() {
        Some("--manifest") => {
            let manifest = serde_json::to_string(&bindings.manifest())
                .unwrap_or_else(|error| fail(&format!("cannot write the manifest: {error}")));
            println!("{manifest}");
            std::process::exit(0)
        }
        Some("--case") => run_case(&bindings),
        _ => fail("usage: RUNNER --manifest | --case (run by the asynclings checker)"),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("asynclings runner: {message}");
    std::process::exit(2)
}

fn run_case(bindings: &Bindings) -> ! {
    let request = std::env::var(protocol::REQUEST_ENV)
        .unwrap_or_else(|_| fail("no case request in the environment"));
    let secret = std::env::var(protocol::SECRET_ENV).unwrap_or_default();
    // SAFETY: still single-threaded; the code under test must not see the secret.
    unsafe {
        std::env::remove_var(protocol::REQUEST_ENV);
        std::env::remove_var(protocol::SECRET_ENV);
    }
    let request: CaseRequest = serde_json::from_str(&request)
        .unwrap_or_else(|error| fail(&format!("bad case request: {error}")));
    // SAFETY: fcntl only asks whether fd 3 is open; the checker opened it for us.
    if unsafe { libc::fcntl(protocol::RESULT_FD, libc::F_GETFD) } < 0 {
        fail("no result channel on fd 3");
    }
    // SAFETY: fd 3 is open and owned by this process from here on.
    let channel = unsafe { File::from_raw_fd(protocol::RESULT_FD) };
    *RESULT.lock().unwrap_or_else(|e| e.into_inner()) = Some((channel, secret));

    panics::install_hook();
    let capture: &'static StdoutCapture =
        Box::leak(Box::new(StdoutCapture::install().unwrap_or_else(|error| {
            fail(&format!("cannot capture stdout: {error}"))
        })));
    let Some(binding) = bindings.find(&request.lesson, &request.function) else {
        let message = format!(
            "this implementation has no function `{}` in lesson `{}`",
            request.function, request.lesson
        );
        report(
            Outcome::BadRequest { message },
            capture,
            0.0,
            request.stdout_cap,
        );
    };
    let cap = request.stdout_cap;
    watchdog::start(
        Duration::from_secs_f64(request.real_timeout.max(0.0)),
        move |outcome| {
            let clock = watchdog::CLOCK.clock();
            report(outcome, capture, clock, cap)
        },
    );
    let (outcome, end) = execute::execute(binding, &request, capture);
    report(outcome, capture, end, cap)
}

/// Writes the one report of this process and ends it at once (no destructors: a stuck
/// blocking task must not hold the exit).
fn report(outcome: Outcome, capture: &StdoutCapture, end: f64, cap: u64) -> ! {
    let taken = RESULT.lock().unwrap_or_else(|e| e.into_inner()).take();
    let Some((mut channel, secret)) = taken else {
        // The other reporter got there first and is ending the process.
        loop {
            std::thread::park();
        }
    };
    let (stdout, stdout_dropped) = capture.finish(end, cap);
    let report = CaseReport {
        outcome,
        stdout,
        stdout_dropped,
    };
    let _ = channel.write_all(&protocol::frame(&secret, &report));
    let _ = channel.flush();
    // SAFETY: _exit ends the process without running anything else.
    unsafe { libc::_exit(0) }
}
