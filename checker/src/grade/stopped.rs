//! Why a call stopped or went wrong before its values could be judged: a crash, processes
//! or threads left behind, a panic (a stub's `todo!()` among them), the real-time watchdog,
//! the executor's thread blocked, the clock moved by the code itself. Each is named from
//! evidence: the child's ending and stderr, the runner's measures, the source's facts.

use asynclings_runner::protocol::{CaseReport, ClockMode, Outcome, Run, ThreadState};

use super::STDOUT_CAP;
use super::message;
use super::source::Facts;
use crate::os::Ending;
use crate::results::{CaseResult, Status};
use crate::spec::{CallCase, Case, Lesson};
use crate::supervise::{self, Observed};
use crate::text::numbers::{bytes, secs};

/// Real time that may pass beyond virtual time before a failing call is said to block.
pub(super) const BLOCKING_SLACK: f64 = 0.2;

pub(super) fn result_error(mut result: CaseResult, message: String) -> CaseResult {
    result.status = Status::Error;
    result.points = 0.0;
    result.message = message;
    result
}

pub(super) fn crash_diagnosis(ending: &Ending, stderr: &str) -> String {
    if stderr.contains("has overflowed its stack") {
        return message::STACK_OVERFLOW.into();
    }
    if stderr.contains("memory allocation") || stderr.contains("out of memory") {
        return message::out_of_memory(&bytes(supervise::ADDRESS_SPACE_LIMIT));
    }
    match ending {
        Ending::Exited(code) => message::exited(*code),
        Ending::FileSize => message::file_too_large(&bytes(supervise::FILE_SIZE_LIMIT)),
        Ending::CpuTime => message::CPU_TIME.into(),
        Ending::Aborted => message::aborted(crate::os::ABORT_NAME),
        Ending::Crashed(what) => message::crashed(what),
    }
}

/// A verdict for a case that left processes or OS threads running: a lesson's function must
/// be done when it returns, and processes outside the case could act on the grader.
pub(super) fn left_running(report: &CaseReport, mut result: CaseResult) -> Option<CaseResult> {
    if !report.processes_left.is_empty() {
        let names: Vec<String> = report
            .processes_left
            .iter()
            .map(|p| format!("{} ({})", p.name, p.pid))
            .collect();
        let escaped = report.processes_left.iter().filter(|p| p.escaped).count();
        let mut message = format!(
            "the code under test started {} process(es) still running when the case ended: {}",
            names.len(),
            names.join(", ")
        );
        if escaped > 0 {
            message.push_str(&format!(
                "; {escaped} of them left the case's process group (setsid or a double fork)"
            ));
        }
        message.push_str(". They were killed; this verdict cannot be trusted");
        return Some(result_error(result, message));
    }
    let returned = matches!(report.outcome, Outcome::Returned { .. });
    if returned && report.threads_left > THREADS_LEFT_LIMIT {
        result.message = format!(
            "{} OS threads the code started were still running when it returned",
            report.threads_left
        );
        result.diagnosis = Some(message::OS_THREADS_LEFT.into());
        return Some(result);
    }
    None
}

/// Threads a case may leave behind before it is said to start OS threads in bulk (tokio's
/// blocking pool keeps a few idle threads alive for a while, and that is fine).
pub(super) const THREADS_LEFT_LIMIT: u32 = 32;

/// Which of tokio's clock controls moved the clock, as the source shows (`advance` first: it
/// is the one that moves it), or the symptom when the source calls none.
pub(super) fn clock_control(facts: &Facts) -> String {
    ["advance", "resume", "pause"]
        .into_iter()
        .find(|call| facts.uses.iter().any(|u| u == call))
        .map_or_else(
            || message::CLOCK_MOVED_WHILE_RUNNING.to_string(),
            message::moved_the_clock_by,
        )
}

/// Tasks kept being polled with no timer to wait for: the construct is named only when the
/// source holds it, and the symptom is stated plainly otherwise.
pub(super) fn cycling_diagnosis(real: f64, clock_at: f64, facts: &Facts) -> String {
    let uses = |name: &str| facts.uses.iter().any(|u| u == name);
    if uses("yield_now") {
        message::yield_loop(real, clock_at)
    } else if uses("select") && uses("sleep") && (uses("pin") || uses("Box::pin")) {
        message::fired_sleep_polled(real, clock_at)
    } else {
        message::always_ready(real, clock_at)
    }
}

/// What the verdict on a timeout of the real-time watchdog says: how the code never finished.
/// `cycling`: tasks kept being polled with no timer due (`facts` say what the code uses).
pub(super) fn real_timeout_diagnosis(
    real: f64,
    clock_at: f64,
    cpu: f64,
    parked: bool,
    clock_moving: bool,
    cycling: Option<&Facts>,
    main_thread: Option<ThreadState>,
) -> String {
    // Without /proc: a loop burns CPU time, a blocking call does not.
    let busy = main_thread.map_or(cpu > 0.5 * real, |state| state == ThreadState::Running);
    if clock_moving {
        return message::still_running(real, clock_at);
    }
    if parked {
        return message::never_happens(real, clock_at);
    }
    if let Some(facts) = cycling {
        return cycling_diagnosis(real, clock_at, facts);
    }
    if busy {
        return message::busy_loop(real, clock_at);
    }
    match main_thread {
        Some(ThreadState::Locked) => message::locked(real, clock_at),
        Some(ThreadState::Blocked) => message::blocking_syscall(real, clock_at),
        Some(ThreadState::Waiting) => message::waiting_in_kernel(real, clock_at),
        _ => message::thread_slept(real, clock_at),
    }
}

pub(super) fn panicked(
    lesson: &Lesson,
    case: &Case,
    mut result: CaseResult,
    message: String,
    location: Option<String>,
    not_implemented: bool,
    at: f64,
) -> CaseResult {
    result.location = location.clone();
    if not_implemented {
        result.status = Status::NotImplemented;
        result.message = "not implemented yet".into();
        let elsewhere = location.as_deref().filter(|l| !l.contains(&lesson.file));
        if let Some(other) = elsewhere {
            result.diagnosis = Some(message::calls_unimplemented(&case.function, other));
        }
        return result;
    }
    result.diagnosis = panic_diagnosis(&message, result.observed.stdout_dropped);
    result.message = format!(
        "panicked at {}: {message}",
        location.as_deref().unwrap_or("an unknown place")
    );
    if at > 0.0 {
        result
            .message
            .push_str(&format!(" (at {} on the clock)", secs(at)));
    }
    result
}

/// Panics the checker recognises: they come from a limit the runner sets, not from a bug.
pub(super) fn panic_diagnosis(message: &str, stdout_dropped: u64) -> Option<String> {
    let too_large = message.contains("File too large") || message.contains("os error 27");
    if message.contains("failed printing to") && too_large {
        return Some(message::printed_too_much(
            &bytes(supervise::FILE_SIZE_LIMIT),
            &bytes(STDOUT_CAP),
            stdout_dropped,
        ));
    }
    if message.contains("divide by zero") || message.contains("dividing duration by scalar") {
        return Some(message::DIVIDED_BY_ZERO.into());
    }
    // rand's words for `random_range(a..b)` with `a == b`: a half-open range holds nothing.
    if message.contains("cannot sample empty range") {
        return Some(message::EMPTY_RANGE.into());
    }
    if message.contains("failed to spawn thread") {
        return Some(message::NO_MORE_THREADS.into());
    }
    // tokio's own words when `pause` finds the clock paused (or `resume` finds it running):
    // the checker paused it before the call.
    if message.contains("time is already frozen") {
        return Some(message::moved_the_clock_by("pause"));
    }
    if message.contains("time is not frozen") {
        return Some(message::moved_the_clock_by("resume"));
    }
    None
}

/// On the virtual clock, a call whose thread spent more than `max_blocked` blocked in the
/// kernel fails, whatever its values and virtual times: it held the executor's only thread.
///
/// The evidence is the runner's [`Run::blocked`]: real time minus the thread's time on a CPU
/// and waiting for one. A loaded machine adds only to the wait for a CPU, a large correct case
/// only to the time on one, and the paused current-thread runtime never sleeps in the kernel
/// (it advances its clock instead), so only `std::thread::sleep`, a std lock or channel, or a
/// blocking read add to it (measured: 0.501 s for a 0.5 s `thread::sleep`; 0.0 s for a CPU
/// loop with both cores saturated). Real time minus virtual time could not serve: load
/// inflates real time at will, and `wait_n(10^6)` takes 1.5 s of real time for 10 s virtual.
pub(super) fn blocked_too_long(run: &Run, clock: ClockMode, max_blocked: f64) -> Option<String> {
    let blocked = run
        .blocked
        .filter(|&b| clock == ClockMode::Virtual && b > max_blocked)?;
    Some(format!(
        "the call's thread was blocked for {} of real time (at most {} is allowed: async code must not hold the executor's thread)",
        secs(blocked),
        secs(max_blocked)
    ))
}

/// A call during which the paused clock moved while the runtime ran, by more than one tick
/// (1 ms): the code moved it itself ([`Run::moved_clock`]), so its times say nothing of how it
/// waited. Fails the call whatever its values and times.
pub(super) fn moved_the_clock(run: &Run) -> Option<String> {
    let moved = run
        .moved_clock
        .filter(|&m| m > crate::spec::DEFAULT_TOLERANCE)?;
    Some(message::moved_the_clock(moved))
}

/// Whether a call of `observed` was blocked in the kernel past the case's limit
/// (`blocked_too_long`): the one failure that rests on a measure of real time alone.
pub fn blocked_beyond_limit(observed: &Observed, call: &CallCase, clock: ClockMode) -> bool {
    let Observed::Report(report) = observed else {
        return false;
    };
    let Outcome::Returned { runs } = &report.outcome else {
        return false;
    };
    runs.iter()
        .any(|run| blocked_too_long(run, clock, call.expect.max_blocked).is_some())
}

/// The diagnosis of a failing call that held the executor's thread, on the virtual clock: by
/// the runner's measure of time blocked in the kernel ([`blocked_too_long`]) when it has one,
/// else by real time well past virtual time. That second rule only names a failure another
/// check found: load alone can make real time pass.
pub(super) fn blocking(run: &Run, clock: ClockMode, max_blocked: f64) -> Option<String> {
    if clock != ClockMode::Virtual {
        return None;
    }
    if let Some(blocked) = run.blocked.filter(|&b| b > max_blocked) {
        return Some(message::blocked_in_kernel(blocked, run.elapsed));
    }
    (run.real > run.elapsed + BLOCKING_SLACK)
        .then(|| message::real_past_virtual(run.real, run.elapsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycling_call_names_only_what_its_source_holds() {
        let facts = |uses: &[&str]| Facts {
            uses: uses.iter().map(|u| u.to_string()).collect(),
            ..Facts::default()
        };
        let said = |uses: &[&str]| cycling_diagnosis(5.0, 1.0, &facts(uses));
        assert!(said(&["yield_now", "tokio::task::yield_now"]).starts_with("a yield_now loop"));
        assert!(said(&["select", "sleep", "pin"]).starts_with("a `sleep` that has fired"));
        // Neither: the symptom, with no construct blamed.
        let plain = said(&["select", "sleep"]);
        assert!(plain.starts_with("the code kept running without ever waiting"));
        assert!(!plain.contains("yield_now") && !plain.contains("select"));
    }
}
