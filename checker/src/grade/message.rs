//! The checker's own wording, in one place (as trybuild keeps its wording in `message.rs`).
//!
//! Grading decides *what* happened and records it as types ([`crate::results::Reason`],
//! [`crate::grade::source::Finding`]); this module says it. Lesson-specific diagnoses live in
//! the specs' `[[diagnose]]` rules, not here.

use super::checks::secs;

/// The message of a case that did not run because the run was interrupted.
pub const NOT_RUN: &str = "not run: the run was interrupted";

/// How the message of every case starts when the code under test does not build.
pub const NOT_BUILT: &str = "not graded: the code does not compile";

/// The message of a case whose own lesson's file does not compile.
pub const FILE_NOT_BUILT: &str = "this lesson's file does not compile";

/// The real-time watchdog stopped a call whose virtual clock kept moving.
pub fn still_running(real: f64, clock_at: f64) -> String {
    format!(
        "still running after {} of real time, with the virtual clock at {} and moving: it does far more waiting than the lesson needs, or never stops (one wait after another instead of all at once?)",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a call parked with no timer pending.
pub fn never_happens(real: f64, clock_at: f64) -> String {
    format!(
        "waited for something that never happens: with no timer pending, the clock stood still at {} for {} of real time (a task that never completes, or a handle or channel nobody will ever fill)",
        secs(clock_at),
        secs(real)
    )
}

/// The watchdog stopped a `yield_now` loop.
pub fn yield_loop(real: f64, clock_at: f64) -> String {
    format!(
        "a yield_now loop: for {} of real time tasks kept handing the thread back and taking it again at once, with no timer to wait for, so the virtual clock stood at {}. tokio::task::yield_now in a loop never lets time pass; await a sleep, or what you are waiting for",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a busy loop.
pub fn busy_loop(real: f64, clock_at: f64) -> String {
    format!(
        "a busy loop blocked the executor: one call kept the CPU busy for {} of real time without ever returning to it, so no other task ran and the virtual clock stood at {}. Await tokio::time::sleep (or what you wait for) instead of spinning",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a thread waiting on a lock, a blocking receive or a join.
pub fn locked(real: f64, clock_at: f64) -> String {
    format!(
        "blocked the executor's thread for {} of real time waiting on a lock, a blocking receive or a thread join (std::sync::Mutex, blocking_recv, JoinHandle::join, futures::executor::block_on), while the virtual clock stood at {}: await instead",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a thread in a blocking system call.
pub fn blocking_syscall(real: f64, clock_at: f64) -> String {
    format!(
        "blocked the executor's thread for {} of real time in a blocking system call (a read, a wait for a process), while the virtual clock stood at {}: use tokio's async version",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a thread asleep.
pub fn thread_slept(real: f64, clock_at: f64) -> String {
    format!(
        "std::thread::sleep blocked the executor's thread for {} of real time while the virtual clock stood at {}: no other task can run meanwhile. Use tokio::time::sleep(...).await",
        secs(real),
        secs(clock_at)
    )
}

/// A call whose thread slept in the kernel longer than allowed.
pub fn blocked_in_kernel(blocked: f64, elapsed: f64) -> String {
    format!(
        "blocked the executor: the call's thread slept {} of real time in a blocking call while the virtual clock moved {}. std::thread::sleep (or a std lock, channel or blocking read) holds the only thread, so no other task runs and no timer fires; await tokio::time::sleep (or tokio's version of the lock or channel) instead",
        secs(blocked),
        secs(elapsed)
    )
}

/// A call whose real time ran well past its virtual time.
pub fn real_past_virtual(real: f64, elapsed: f64) -> String {
    format!(
        "blocked the executor: the call took {} of real time but only {} on the virtual clock. std::thread::sleep or a busy loop holds the thread; await tokio::time::sleep instead",
        secs(real),
        secs(elapsed)
    )
}

/// A forbidden name used in a blocking thread (`spawn_blocking`): it holds that thread, not
/// the executor's, but sleeps in real time, which tokio's paused clock does not follow.
pub fn forbidden_in_blocking_thread(function: &str, name: &str, place: &str) -> String {
    format!(
        "`{function}` calls `{name}` on a blocking thread (spawn_blocking, {place}): that thread waits in real time, which tokio's clock does not follow, so the task's delay is not a tokio timer and the runtime cannot see it pass. Await tokio::time::sleep in the task instead of a blocking thread"
    )
}

/// The headline of a forbidden name found in the source: the finding, then the rule's word.
pub fn forbidden(function: &str, name: &str, place: &str, via: Option<&str>, says: &str) -> String {
    let via = via.map_or(String::new(), |helper| format!(" through `{helper}`"));
    format!("`{function}` uses `{name}`{via} ({place}): {says}")
}

/// The source-check message of a forbidden name.
pub fn forbidden_message(function: &str, name: &str, place: &str, via: Option<&str>) -> String {
    let via = via.map_or(String::new(), |helper| {
        format!(", in `{helper}` which it calls")
    });
    format!("`{function}` uses `{name}` ({place}{via})")
}

/// The source-check message of a required call that is missing.
pub fn never_calls(function: &str, name: &str) -> String {
    format!("`{function}` never calls `{name}`")
}

/// What precedes the runtime symptom when it is shown as the evidence of a source finding.
pub fn evidence(symptom: &str) -> String {
    format!("what the run showed: {symptom}")
}

/// The headline of a result sorted in disguise.
pub fn reordered(function: &str, combinator: &str, place: &str, calls: usize, n: usize) -> String {
    format!(
        "sorting in disguise: `{function}` collects its results with {combinator} ({place}), which keeps the order the work was started in, yet all {calls} call(s) of {n} or more values came back in ascending order. The values were reordered after the fact: collect them as they finish (JoinSet::join_next, FuturesUnordered) instead"
    )
}

/// The message of a case failed for a result sorted in disguise.
pub fn reordered_message(n: usize) -> String {
    format!(
        "every call returned its {n} or more values sorted: by chance, an order-keeping combinator returns random delays sorted far less than once in a million runs"
    )
}

/// The headline of a lesson that fails because an earlier one it builds on fails.
pub fn depends_on(number: usize, id: &str, via: &str, headline: Option<&str>) -> String {
    let why = headline.map_or(String::new(), |h| format!(" ({h})"));
    format!(
        "this lesson builds on lesson {number}, {id} (it calls `{via}`), which fails{why}: fix lesson {number} first, then grade this one again"
    )
}
