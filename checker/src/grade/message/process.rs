//! Wording of a case's process that ended before it could report: crashes, aborts, signals,
//! the OS's limits (memory, output, CPU time), and the panics the checker recognises.

use crate::text::numbers::secs;

/// The process stopped itself with SIGSTOP.
pub const STOPPED_ITSELF: &str = "the process stopped itself (SIGSTOP), watchdog and all, so it could not finish or report: code under test must not signal its own process";

/// Not even the case's watchdog could report.
pub const WATCHDOG_SILENCED: &str = "the code blocked so hard that even the case's watchdog could not report: an endless loop or blocking call inside async code";

/// The stack overflowed.
pub const STACK_OVERFLOW: &str = "the stack overflowed: a function that calls itself without end (async recursion needs Box::pin and a base case)";

/// The process used up its CPU time.
pub const CPU_TIME: &str = "the process used up its CPU time: an endless loop";

/// OS threads left running when the function returned.
pub const OS_THREADS_LEFT: &str = "the lessons run on tokio tasks, not OS threads: std::thread::spawn in a loop starts OS threads that are never joined; use tokio::spawn";

/// A panic dividing by zero.
pub const DIVIDED_BY_ZERO: &str = "divided by zero: with nothing to divide (n = 0 calls, an empty list) there is no average. Handle that case first and return zero (Duration::ZERO) instead of dividing";

/// A panic starting an OS thread.
pub const NO_MORE_THREADS: &str = "could not start another OS thread: the process hit its limit on threads or memory. The lessons run on tokio tasks, not OS threads; use tokio::spawn";

/// rand's panic on an empty range (`random_range(0.0..max)` with `max` = 0).
pub const EMPTY_RANGE: &str = "drew from an empty range: a half-open range `a..b` holds no value when `a` equals `b` (`0.0..max` with a maximum of 0), and `random_range` panics on it. Draw from the inclusive range `0.0..=max`, which holds `max` too";

/// A printed line that imitates the result frame.
pub fn forged_frame(line: &str) -> String {
    format!(
        "printed a line that imitates the checker's result frame ({line}...): what the code prints never reaches the result channel, so it changes no verdict"
    )
}

/// The process ran out of memory (`limit` in words).
pub fn out_of_memory(limit: &str) -> String {
    format!(
        "the process ran out of memory (it may use {limit} of address space): something grows without bound"
    )
}

/// The runner failed before the code under test ran (`why`: its own words, or how it ended).
pub fn runner_not_ready(why: &str) -> String {
    format!("the runner could not run the case (no code of the lesson had run yet): {why}")
}

/// The code ended the process.
pub fn exited(code: i32) -> String {
    format!(
        "the code ended the whole process (exit status {code}) instead of returning: remove std::process::exit"
    )
}

/// The process hit the file size limit (`limit` in words).
pub fn file_too_large(limit: &str) -> String {
    format!(
        "the process wrote more output than the checker allows ({limit} per file; a print in an endless loop?)"
    )
}

/// The process aborted (`signal` named as the OS names it).
pub fn aborted(signal: &str) -> String {
    format!(
        "the process aborted ({signal}) without a panic: std::process::abort, or a panic while a panic was unwinding (in a Drop)"
    )
}

/// The process crashed.
pub fn crashed(what: &str) -> String {
    format!("the process crashed ({what}): unsafe code gone wrong, or a signal sent to it")
}

/// A print that failed on the file size limit.
pub fn printed_too_much(limit: &str, kept: &str, dropped: u64) -> String {
    format!(
        "printed more than the checker allows ({limit} of output; the report keeps the first {kept} and counted {dropped} more bytes): a print in an endless loop?"
    )
}

/// A task spawned at `site` panicked (at `at` seconds, when known) with `panic`, and the call
/// went on without it.
pub fn task_panicked(site: &str, at: Option<f64>, panic: &str) -> String {
    let when = at.map_or_else(String::new, |at| format!(" at {}", secs(at)));
    format!(
        "the task spawned at {site} panicked{when} (\"{panic}\") and the call went on without it: a panicking task ends alone, and its panic reaches the caller only through its JoinHandle's `await`, as an error. Fix what panicked, and await the handle to see such errors"
    )
}
