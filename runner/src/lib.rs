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
mod processes;
pub mod protocol;
mod watchdog;

pub use processes::children_of;

use std::fs::File;
use std::io::Write;
use std::os::fd::FromRawFd;
use std::sync::Mutex;

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
    tune_allocator();
    let request = std::env::var(protocol::REQUEST_ENV)
        .unwrap_or_else(|_| fail("no case request in the environment"));
    let secret = std::env::var(protocol::SECRET_ENV).unwrap_or_default();
    hide_secret();
    // SAFETY: still single-threaded; the code under test must not see the secret.
    unsafe {
        std::env::remove_var(protocol::REQUEST_ENV);
        std::env::remove_var(protocol::SECRET_ENV);
    }
    let request: CaseRequest = serde_json::from_str(&request)
        .unwrap_or_else(|error| fail(&format!("bad case request: {error}")));
    let Some(channel_id) = file_identity(protocol::RESULT_FD) else {
        fail("no result channel on fd 3");
    };
    // SAFETY: fd 3 is open and owned by this process from here on.
    let channel = unsafe { File::from_raw_fd(protocol::RESULT_FD) };
    *RESULT.lock().unwrap_or_else(|e| e.into_inner()) = Some((channel, secret));
    guard_the_process();

    panics::install_hook();
    let capture: &'static StdoutCapture =
        Box::leak(Box::new(StdoutCapture::install().unwrap_or_else(|error| {
            fail(&format!("cannot capture stdout: {error}"))
        })));
    let cap = request.stdout_cap;
    let Some(binding) = bindings.find(&request.lesson, &request.function) else {
        let message = format!(
            "this implementation has no function `{}` in lesson `{}`",
            request.function, request.lesson
        );
        let ending = Ending {
            capture,
            cap,
            channel_id,
            threads_before: 0,
        };
        report(Outcome::BadRequest { message }, &ending, 0.0, true);
    };
    watchdog_then_execute(binding, &request, capture, channel_id)
}

fn watchdog_then_execute(
    binding: &Binding,
    request: &CaseRequest,
    capture: &'static StdoutCapture,
    channel_id: (u64, u64),
) -> ! {
    let cap = request.stdout_cap;
    watchdog::start(protocol::seconds(request.real_timeout), move |outcome| {
        let clock = watchdog::CLOCK.clock();
        let ending = Ending {
            capture,
            cap,
            channel_id,
            threads_before: THREADS_BEFORE.load(std::sync::atomic::Ordering::Relaxed),
        };
        report(outcome, &ending, clock, false)
    });
    // The runner's own threads (this one and the watchdog's): the rest are the code's.
    let threads_before = processes::thread_count();
    THREADS_BEFORE.store(threads_before, std::sync::atomic::Ordering::Relaxed);
    let (outcome, end) = execute::execute(binding, request, capture);
    let ending = Ending {
        capture,
        cap,
        channel_id,
        threads_before,
    };
    report(outcome, &ending, end, true)
}

/// Threads of this process before the call (set before the code under test runs).
static THREADS_BEFORE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Overwrites the secret in the process's original environment block, which
/// `/proc/self/environ` shows even after `remove_var` (that only unlinks the variable).
fn hide_secret() {
    let Ok(name) = std::ffi::CString::new(protocol::SECRET_ENV) else {
        return;
    };
    // SAFETY: getenv returns null or a pointer to the variable's NUL-terminated value, in
    // writable memory of this process; we overwrite its bytes in place, keeping its length,
    // while no other thread exists to read the environment.
    unsafe {
        let value = libc::getenv(name.as_ptr());
        if !value.is_null() {
            std::ptr::write_bytes(value, b'0', libc::strlen(value));
        }
    }
}

/// Settings of this process that must be in place before the code under test runs.
fn guard_the_process() {
    // SAFETY: signal and prctl only change settings of this process.
    unsafe {
        // Past the file-size limit a write fails (EFBIG) instead of killing the process without
        // a report: printing too much becomes a panic in `println!`, reported with its output.
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        // Orphaned descendants come back to this process, so the report can name those that
        // are still running, even those that left the case's process group.
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
}

/// (device, inode) of the file open on `fd`, or `None` when `fd` is not open.
fn file_identity(fd: i32) -> Option<(u64, u64)> {
    // SAFETY: libc::stat is a plain C struct of integers, for which all-zero bytes are a
    // valid value.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat only writes the struct we hand it, which is ours and large enough; a
    // closed or invalid fd gives an error and writes nothing.
    if unsafe { libc::fstat(fd, &mut stat) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Some((stat.st_dev as u64, stat.st_ino as u64))
}

/// What writing the report needs besides the outcome.
struct Ending {
    capture: &'static StdoutCapture,
    cap: u64,
    /// The identity of the result file on fd 3 when the case started.
    channel_id: (u64, u64),
    threads_before: u32,
}

/// Turns off glibc's fastbins. A case that frees a million small task allocations leaves them
/// in fastbins, and the first large allocation after it (the report) consolidates them all:
/// 150 ms at `wait_n(10^6)`, more than serialising the report. Without fastbins, frees
/// coalesce as they happen and the case itself runs no slower (measured: docs/performance.md).
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; called before the code under test runs.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
    }
}

/// Writes the one report of this process and ends it at once (no destructors: a stuck
/// blocking task must not hold the exit). `flush`: see [`StdoutCapture::finish`].
fn report(outcome: Outcome, ending: &Ending, end: f64, flush: bool) -> ! {
    let taken = RESULT.lock().unwrap_or_else(|e| e.into_inner()).take();
    let Some((mut channel, secret)) = taken else {
        // The other reporter got there first and is ending the process.
        loop {
            std::thread::park();
        }
    };
    if file_identity(protocol::RESULT_FD) != Some(ending.channel_id) {
        // Whatever is on fd 3 now is not the checker's file: writing there would lose the
        // report, or hand it to the code under test.
        eprintln!("asynclings runner: {}", protocol::CHANNEL_LOST);
        // SAFETY: _exit ends the process without running anything else.
        unsafe { libc::_exit(2) }
    }
    let (stdout, stdout_dropped) = ending.capture.finish(end, ending.cap, flush);
    let threads = processes::thread_count();
    let report = CaseReport {
        outcome,
        stdout,
        stdout_dropped,
        threads_left: threads.saturating_sub(ending.threads_before.max(1)),
        processes_left: processes::descendants(),
    };
    let _ = channel.write_all(&protocol::frame(&secret, &report));
    let _ = channel.flush();
    // SAFETY: _exit ends the process without running anything else.
    unsafe { libc::_exit(0) }
}
