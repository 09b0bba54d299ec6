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
pub mod cpu;
mod draws;
mod execute;
pub mod net;
mod os;
mod panics;
#[cfg(target_os = "linux")]
pub mod procfs;
pub mod protocol;
pub mod registry;
#[cfg(target_os = "linux")]
mod serve;
pub mod timeline;
mod watchdog;

pub use os::children_of;

use std::sync::Mutex;

pub use bindings::{Args, Binding, Bindings, Call, Report, ReportError, TaskHandle, arg};
pub use course::not_built;
pub use protocol::Shape;

#[doc(hidden)]
pub use futures as __futures;

use capture::StdoutCapture;
use os::{BlockedTime, ResultChannel};
use protocol::{CaseReport, CaseRequest, Outcome};

/// Environment variable naming the variant of a multi-implementation runner (the corpus).
pub const VARIANT_ENV: &str = "ASYNCLINGS_VARIANT";

/// The result channel; taken by whoever reports first (the case or the watchdog).
static RESULT: Mutex<Option<(ResultChannel, String)>> = Mutex::new(None);

/// Runs as a runner binary over the bindings of one implementation. Never returns.
///
/// `RUNNER --manifest` prints the binding table as JSON; `RUNNER --case` runs the case the
/// checker passed in the environment and reports it on the result channel (fd 3 on Unix, the
/// file named by [`protocol::RESULT_PATH_ENV`] on Windows).
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
        #[cfg(target_os = "linux")]
        Some("--serve") => serve::serve(&bindings),
        _ => fail("usage: RUNNER --manifest | --case (run by the asynclings checker)"),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("asynclings runner: {message}");
    std::process::exit(2)
}

fn run_case(bindings: &Bindings) -> ! {
    os::tune_allocator();
    let request = std::env::var(protocol::REQUEST_ENV)
        .unwrap_or_else(|_| fail("no case request in the environment"));
    let secret = std::env::var(protocol::SECRET_ENV).unwrap_or_default();
    os::hide_secret(protocol::SECRET_ENV);
    // The case's seed, in the request: the code under test must not draw ahead of it. The
    // rest of the request stays readable in /proc (what the case is, for who supervises it).
    if let Some(digits) = protocol::seed_digits(&request) {
        os::hide_in_env(protocol::REQUEST_ENV, digits);
    }
    // SAFETY: still single-threaded; the code under test must not see the secret.
    unsafe {
        std::env::remove_var(protocol::REQUEST_ENV);
        std::env::remove_var(protocol::SECRET_ENV);
    }
    let request: CaseRequest = serde_json::from_str(&request)
        .unwrap_or_else(|error| fail(&format!("bad case request: {error}")));
    run_request(bindings, request, secret)
}

/// Runs `request` in this process, which holds its result channel on fd 3, and reports it
/// with `secret`: what `--case` does once the request is read, and a served case's child too.
fn run_request(bindings: &Bindings, request: CaseRequest, secret: String) -> ! {
    let channel = ResultChannel::open().unwrap_or_else(|message| fail(&message));
    *RESULT.lock().unwrap_or_else(|e| e.into_inner()) = Some((channel, secret));
    os::guard_the_process();

    panics::install_hook();
    let capture: &'static StdoutCapture =
        Box::leak(Box::new(StdoutCapture::install().unwrap_or_else(|error| {
            fail(&format!("cannot capture stdout: {error}"))
        })));
    let cap = request.stdout_cap;
    net::prepare(request.peers.clone(), request.seed, request.shutdown);
    // The set-up is done: from here on, a process that ends without a report is the code
    // under test's doing, not the runner's.
    if let Some((channel, secret)) = RESULT.lock().unwrap_or_else(|e| e.into_inner()).as_mut()
        && channel.write(&protocol::started_line(secret)).is_err()
    {
        fail("cannot write on the result channel");
    }
    let Some(binding) = bindings.find(&request.lesson, &request.function) else {
        let message = format!(
            "this implementation has no function `{}` in lesson `{}`",
            request.function, request.lesson
        );
        let ending = Ending {
            capture,
            cap,
            threads_before: 0,
        };
        report(Outcome::BadRequest { message }, &ending, 0.0, true);
    };
    watchdog_then_execute(binding, &request, capture)
}

fn watchdog_then_execute(
    binding: &Binding,
    request: &CaseRequest,
    capture: &'static StdoutCapture,
) -> ! {
    let cap = request.stdout_cap;
    // The code under test runs on a thread of its own, which confines itself before it runs
    // any (`os::confine_call`); this thread keeps the process's rights to write the report.
    let ran = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("case".into())
            .stack_size(CASE_STACK)
            .spawn_scoped(scope, || call_on_this_thread(binding, request, capture))
            .map(|thread| thread.join())
    });
    let (outcome, end) = match ran {
        Ok(Ok(ran)) => ran,
        Ok(Err(_)) => (
            Outcome::Panicked {
                message: "the case's thread ended in a panic that left no message".into(),
                location: None,
                not_implemented: false,
                at: watchdog::CLOCK.clock(),
            },
            watchdog::CLOCK.clock(),
        ),
        Err(error) => (
            Outcome::BadRequest {
                message: format!("cannot start the case's thread: {error}"),
            },
            0.0,
        ),
    };
    let ending = Ending {
        capture,
        cap,
        threads_before: THREADS_BEFORE.load(std::sync::atomic::Ordering::Relaxed),
    };
    report(outcome, &ending, end, true)
}

/// The stack of the thread that runs the code under test: a main thread's usual 8 MiB, so
/// that recursion goes as deep as it would in `main`.
const CASE_STACK: usize = 8 << 20;

/// Runs the case on the calling thread (the case's): starts the watchdog (which watches this
/// thread), prepares the blocked-time measurement, counts the runner's own threads, confines
/// the thread when asked, then calls. The runner's threads start before the confinement, so
/// they keep the process's rights.
fn call_on_this_thread(
    binding: &Binding,
    request: &CaseRequest,
    capture: &'static StdoutCapture,
) -> (Outcome, f64) {
    let cap = request.stdout_cap;
    watchdog::start(protocol::seconds(request.real_timeout), move |outcome| {
        let clock = watchdog::CLOCK.clock();
        let ending = Ending {
            capture,
            cap,
            threads_before: THREADS_BEFORE.load(std::sync::atomic::Ordering::Relaxed),
        };
        report(outcome, &ending, clock, false)
    });
    // On macOS and Windows this starts the blocked-time sampler thread: before counting. On
    // Linux it opens this thread's schedstat, which the confined thread could not.
    let blocked_time = BlockedTime::of_current_thread();
    // The runner's own threads (main, the watchdog's, the sampler's, this one): the rest are
    // the code's.
    THREADS_BEFORE.store(os::thread_count(), std::sync::atomic::Ordering::Relaxed);
    // Only a recorded run names where the slow function was called: the line tables cost
    // tens of milliseconds a case, and a graded run needs no place.
    if request.cost > 0.0 && request.record {
        cpu::read_line_tables();
    }
    if request.confine_call
        && let Err(why) = os::confine_call(std::path::Path::new("."))
    {
        // The process is still confined by the checker's sandbox; the call is not run
        // with less than the checker promised.
        let message = format!("cannot confine the case's thread: {why}");
        return (Outcome::BadRequest { message }, 0.0);
    }
    execute::execute(binding, request, capture, &blocked_time)
}

/// Threads of this process before the call (set before the code under test runs).
static THREADS_BEFORE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// What writing the report needs besides the outcome.
struct Ending {
    capture: &'static StdoutCapture,
    cap: u64,
    threads_before: u32,
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
    if !channel.still_ours() {
        // Whatever the channel leads to now is not the checker's file: writing there would
        // lose the report, or hand it to the code under test.
        eprintln!("asynclings runner: {}", protocol::CHANNEL_LOST);
        os::exit_now(2)
    }
    let (stdout, stdout_dropped) = ending.capture.finish(end, ending.cap, flush);
    let threads = os::thread_count();
    let report = CaseReport {
        outcome,
        stdout,
        stdout_dropped,
        threads_left: threads.saturating_sub(ending.threads_before.max(1)),
        processes_left: os::descendants(),
        timeline: timeline::take().map(Box::new),
        transcripts: net::take(),
        attempts: net::take_attempts(),
        cpu: cpu::take(),
        shutdown_at: net::take_shutdown(),
    };
    let _ = channel.write(&protocol::frame(&secret, &report));
    os::exit_now(0)
}
