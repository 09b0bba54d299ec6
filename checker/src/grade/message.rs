//! The checker's own wording, in one place (as trybuild keeps its wording in `message.rs`).
//!
//! Grading decides *what* happened and records it as types ([`crate::results::Reason`],
//! [`crate::grade::source::Facts`]); this module says it. Lesson-specific diagnoses live in
//! the specs' `[[diagnose]]` rules, not here.

use crate::expr::{Value, Why};
use crate::report::numbers::secs;
use crate::supervise::{self, Exceeded};

/// A named `assert` clause that is false: where its quantifiers were (`for j = 3, k = 4`,
/// positions counted from 0 as the language counts them), the part that is false, and the
/// values that part compared or read.
pub fn assert_failed(name: &str, why: &Why) -> String {
    let shown = |value: &Value| value.to_string();
    let mut out = format!("assert `{name}` fails");
    if !why.at.is_empty() {
        let at: Vec<String> = why
            .at
            .iter()
            .map(|(bound, value)| format!("{bound} = {}", shown(value)))
            .collect();
        out.push_str(&format!(" for {}", at.join(", ")));
    }
    out.push_str(&format!(": `{}` is false", why.part));
    let values: Vec<String> = why
        .values
        .iter()
        .filter(|(text, _)| !why.at.iter().any(|(bound, _)| bound == text))
        .map(|(text, value)| format!("{text} = {}", shown(value)))
        .collect();
    if !values.is_empty() {
        out.push_str(&format!(" ({})", values.join(", ")));
    }
    out
}

/// A named `assert` clause that could not be evaluated for the call.
pub fn assert_not_evaluated(name: &str, error: &str) -> String {
    format!("assert `{name}` cannot be evaluated for this call: {error}")
}

/// The message of a case that did not run because the run was interrupted.
pub const NOT_RUN: &str = "not run: the run was interrupted";

/// How the message of every case starts when the code under test does not build.
pub const NOT_BUILT: &str = "not graded: the code does not compile";

/// The message of a case whose own lesson's file does not compile.
pub const FILE_NOT_BUILT: &str = "this lesson's file does not compile";

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

/// A call that used up its virtual time while being woken now and then.
pub const NEVER_FINISHES: &str =
    "it never finishes: a loop that keeps sleeping, or waiting on something that never comes";

/// A panic dividing by zero.
pub const DIVIDED_BY_ZERO: &str = "divided by zero: with nothing to divide (n = 0 calls, an empty list) there is no average. Handle that case first and return zero (Duration::ZERO) instead of dividing";

/// A panic starting an OS thread.
pub const NO_MORE_THREADS: &str = "could not start another OS thread: the process hit its limit on threads or memory. The lessons run on tokio tasks, not OS threads; use tokio::spawn";

/// A student's submission of a class (`grade-many`) holds no lesson file.
pub const CLASS_NOTHING_FOUND: &str = "no lesson file was found in the submission";

/// A student's submission of a class took longer than `seconds` to build and grade.
pub fn class_timed_out(seconds: u64) -> String {
    format!(
        "stopped after {seconds} s: the build and the cases took too long (the report holds the cases that finished)"
    )
}

/// The checker could not grade a student's submission of a class (`code`: its exit status;
/// `said`: the end of what it wrote to stderr).
pub fn class_not_graded(code: i32, said: &str) -> String {
    format!("the checker could not grade it (exit status {code}): {said}")
}

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

/// A call in which nothing ran after `still_from` seconds on the clock, until the virtual
/// limit: every task waited, and no timer was due.
pub fn never_woken(still_from: f64) -> String {
    format!(
        "waited for something that never happens: nothing ran after {} on the clock (every task waited, and no timer was due), so it waited until the limit: tasks that wait on each other, or a channel or handle nobody will ever fill",
        secs(still_from)
    )
}

/// [`never_woken`] with what the trace shows still waiting when the clock stood still: each
/// spawn site with its count of tasks and when they last ran (`waiting`, already in words).
pub fn deadlocked(still_from: f64, waiting: &[String]) -> String {
    format!(
        "waited for something that never happens, a deadlock: nothing ran after {} on the clock, every task waited and no timer was due, so nothing could ever wake them. Still waiting: the call itself{}. Tasks that wait on each other, or on a channel or handle nobody will ever fill, wait forever",
        secs(still_from),
        waiting.iter().map(|w| format!(", {w}")).collect::<String>()
    )
}

/// A call that used up its virtual time (`message`), with the tasks that still waited then
/// (`waiting`, each as [`waiting_tasks`] words it).
pub fn still_waiting_at_limit(message: &str, waiting: &[String]) -> String {
    format!("{message}; still waiting then: {}", waiting.join(", "))
}

/// One group of tasks of a deadlock ([`deadlocked`]): `count` tasks spawned at `site`, the
/// last of them polled at `last_ran` seconds (`None`: never polled), waiting for `waits`
/// (each a resource as [`resource`] names it; empty: on nothing tokio instruments).
pub fn waiting_tasks(site: &str, count: usize, last_ran: Option<f64>, waits: &[String]) -> String {
    let tasks = if count == 1 {
        "the task".to_string()
    } else {
        format!("{count} tasks")
    };
    let ran = match last_ran {
        Some(at) => format!("last ran at {}", secs(at)),
        None => "never ran".to_string(),
    };
    if waits.is_empty() {
        format!("{tasks} spawned at {site} ({ran})")
    } else {
        format!(
            "{tasks} spawned at {site} ({ran}, waiting for {})",
            waits.join(" or ")
        )
    }
}

/// A resource a task waits for: `the Mutex created at 20_dining.rs:9` (`kind` as tokio names
/// it: `Mutex`, `Semaphore`, `Barrier`, `RwLock`...).
pub fn resource(kind: &str, site: &str) -> String {
    format!("the {kind} created at {site}")
}

/// A function that reached another lesson's `todo!()`.
pub fn calls_unimplemented(function: &str, place: &str) -> String {
    format!(
        "`{function}` calls code that is not implemented yet ({place}): finish that lesson first"
    )
}

/// A print that failed on the file size limit.
pub fn printed_too_much(limit: &str, kept: &str, dropped: u64) -> String {
    format!(
        "printed more than the checker allows ({limit} of output; the report keeps the first {kept} and counted {dropped} more bytes): a print in an endless loop?"
    )
}

/// A printed line that differs from the expected one only by invisible characters.
pub fn invisible_difference(shown: &str, expected: &str, hidden: &[char]) -> String {
    let codes: Vec<String> = hidden
        .iter()
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    format!(
        "printed `{shown}` where `{expected}` was expected: the same text but for an invisible character ({}), which the comparison sees and a terminal does not show",
        codes.join(", ")
    )
}

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

/// A plain local (`name`, declared on line `declared` of `file`) that the `move` block on line
/// `captured` copied before the function set it again on line `assigned`.
pub fn copied_local(
    file: &str,
    name: &str,
    declared: usize,
    captured: usize,
    assigned: usize,
) -> String {
    format!(
        "the task never saw `{name}` change: the `move` block at {file}:{captured} took its own copy of `{name}` (a plain value, declared at line {declared}) when it was made, so setting it at line {assigned} changed the function's copy only. Share the signal instead, through a channel both ends hold: a `tokio::sync::watch` channel's sender and receiver"
    )
}

/// Seconds cut to whole ones: `operand` (a float) cast to an integer for `Duration::from_secs`
/// at `file:line`.
pub fn whole_seconds(file: &str, line: usize, operand: &str) -> String {
    format!(
        "`Duration::from_secs` takes whole seconds: `{operand}`, cast to an integer for it at {file}:{line}, was cut off its fraction, so 2.5 s became 2 s and 0.4 s became 0. `Duration::from_secs_f64({operand})` keeps it"
    )
}

/// rand's panic on an empty range (`random_range(0.0..max)` with `max` = 0).
pub const EMPTY_RANGE: &str = "drew from an empty range: a half-open range `a..b` holds no value when `a` equals `b` (`0.0..max` with a maximum of 0), and `random_range` panics on it. Draw from the inclusive range `0.0..=max`, which holds `max` too";

/// A duration read in whole seconds: `operand.as_secs()` at `file:line`.
pub fn as_secs(file: &str, line: usize, operand: &str) -> String {
    format!(
        "`Duration::as_secs` reads whole seconds: `{operand}.as_secs()` at {file}:{line} dropped the fraction of what was measured, so every value came back whole (2.7 s reads as 2). `as_secs_f64()` keeps it, or keep the `Duration` itself"
    )
}

/// A permit bound to `name` at `file:line`, in a loop that spawns tasks that never take it.
pub fn permit_left(file: &str, line: usize, name: &str) -> String {
    format!(
        "the permit `{name}` acquired at {file}:{line} stayed in the loop that spawns the tasks: it was dropped at the end of that turn, right after the spawn, so it held back none of the task's work. Move it into the task (`async move {{ let _held = {name}; ... }}`), or acquire it inside the task"
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

/// The watchdog stopped a `yield_now` loop.
pub fn yield_loop(real: f64, clock_at: f64) -> String {
    format!(
        "a yield_now loop: for {} of real time tasks kept handing the thread back and taking it again at once, with no timer to wait for, so the virtual clock stood at {}. tokio::task::yield_now in a loop never lets time pass; await a sleep, or what you are waiting for",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a loop that raced a pinned `sleep` in a `select!` (the source shows
/// both) while tasks kept being polled with no timer due.
pub fn fired_sleep_polled(real: f64, clock_at: f64) -> String {
    format!(
        "a `sleep` that has fired stays ready: the loop races a pinned `sleep` by `&mut` in a `select!`, and once it fired (the clock stood at {}) it won every turn at once, so for {} of real time the loop ran without letting time pass. Create the `sleep` anew each turn, inside the `select!`, so that every turn waits its full time",
        secs(clock_at),
        secs(real)
    )
}

/// The watchdog stopped tasks that kept being polled with no timer due, in code that uses
/// neither `yield_now` nor a pinned `sleep`: the symptom, plainly.
pub fn always_ready(real: f64, clock_at: f64) -> String {
    format!(
        "the code kept running without ever waiting: for {} of real time tasks were polled again and again and each await completed at once, so the virtual clock stood at {}. Something awaited in a loop is ready every time; await what you are waiting for, or a sleep",
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

/// A case that called the stub of lesson `number` (`lesson`), whose file does not compile.
pub fn needs_broken_lesson(number: usize, lesson: &str) -> String {
    format!(
        "needs lesson {number} ({lesson}), which does not compile yet: this lesson is graded once that file compiles"
    )
}

/// The watchdog stopped a thread waiting in the kernel for what the OS does not say (macOS,
/// Windows), and the source shows no `std::thread::sleep`.
pub fn waiting_in_kernel(real: f64, clock_at: f64) -> String {
    format!(
        "blocked the executor's thread for {} of real time waiting in the kernel (std::thread::sleep, a std lock, a blocking read or join), while the virtual clock stood at {}: await tokio's version instead",
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

/// The code called `tokio::time::{call}` (`pause`, `resume` or `advance`, as its source or
/// tokio's panic shows) on the clock the checker paused.
pub fn moved_the_clock_by(call: &str) -> String {
    format!(
        "the code called `tokio::time::{call}` itself: the checker already runs every case on a paused clock that moves only while all tasks wait. Remove that call and let time pass by awaiting (`sleep`, `interval`, `timeout`)"
    )
}

/// The paused clock moved while code ran, and the source calls none of tokio's clock controls
/// (another crate's code did): the symptom.
pub const CLOCK_MOVED_WHILE_RUNNING: &str = "the virtual clock moved while the code ran, not while it waited: something called tokio's clock controls (`pause`, `resume`, `advance`), which the checker's paused clock leaves to itself. Let time pass by awaiting instead";

/// What failed when the paused clock moved while the code ran.
pub fn moved_the_clock(moved: f64) -> String {
    format!(
        "the virtual clock moved {} while the code was running, not waiting: the call's times were not earned by waiting",
        secs(moved)
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

/// `n` bytes in words (`64 MiB`).
pub fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= 1024 * MIB && n.is_multiple_of(1024 * MIB) {
        format!("{} GiB", n / (1024 * MIB))
    } else if n >= MIB {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// The message of a case the checker ended, after `real` seconds, for going over a budget.
pub fn ended_over_budget(real: f64, what: &Exceeded) -> String {
    format!(
        "ended after {} of real time: it {}",
        secs(real),
        over_budget(what)
    )
}

/// What a case the checker ended went over.
pub fn over_budget(what: &Exceeded) -> String {
    match what {
        Exceeded::Disk { bytes: used } => format!(
            "used more disk than a case may: {} or more in its folder and open files (the limit is {})",
            bytes(*used),
            bytes(supervise::DISK_BUDGET)
        ),
        Exceeded::Entries { count } => format!(
            "created more files and folders than a case may: {count} or more (the limit is {})",
            supervise::ENTRY_BUDGET
        ),
        Exceeded::Depth { depth } => format!(
            "nested folders {depth} deep or more (the limit is {})",
            supervise::DEPTH_BUDGET
        ),
        Exceeded::Unmeasurable { why } => format!(
            "made its folder impossible to measure ({why}): the checker must see how much disk a case holds"
        ),
        Exceeded::Cpu { cpu, real, running } => format!(
            "used more than one core: {running} threads running at once, {} of CPU time in {} of real time",
            secs(*cpu),
            secs(*real)
        ),
        Exceeded::Tasks { count } => format!(
            "started {count} OS threads at once (the limit is {})",
            supervise::TASK_BUDGET
        ),
    }
}

/// What to do instead of going over `what`.
pub fn over_budget_advice(what: &Exceeded) -> String {
    match what {
        Exceeded::Disk { .. }
        | Exceeded::Entries { .. }
        | Exceeded::Depth { .. }
        | Exceeded::Unmeasurable { .. } => "no lesson writes files: a loop that writes or creates them? The checker ended the case so that it could not fill the disk of the machine".into(),
        Exceeded::Cpu { .. } => "the lessons run on tokio tasks on one thread; OS threads or processes that spin take the CPU from every other case. Use tokio::spawn, and await instead of spinning".into(),
        Exceeded::Tasks { .. } => OS_THREADS_LEFT.into(),
    }
}

/// A case's scratch folder at `path` could not be removed (`error`): said on stderr, since
/// the space it holds stays taken.
pub fn scratch_not_removed(path: &str, error: &str) -> String {
    format!(
        "checker: warning: could not remove the scratch folder of a case, {path}: {error}; the disk space it holds stays taken until it is removed by hand"
    )
}

// The network lessons: what a peer received (`grade::transcript`).

/// `expect.peers` failed for peer `name`: what differs, then every peer's transcript, then
/// `cpu` ([`cpu_calls`], empty when the slow function was never called).
pub fn peer_lines(name: &str, problem: &str, transcripts: &str, cpu: &str) -> String {
    format!(
        "peer `{name}`: {problem}\nwhat each peer received (time on the clock, bytes as read):\n{transcripts}{cpu}"
    )
}

/// Each call of the slow function (lesson 25): when it ran and on which thread, under a
/// heading; empty text for none.
pub fn cpu_calls(calls: &[asynclings_runner::cpu::CpuCall]) -> String {
    use asynclings_runner::cpu::ThreadKind;
    let mut out = String::new();
    for call in calls {
        let thread = match call.thread {
            ThreadKind::Runtime => "on the runtime's thread: every other task waited",
            ThreadKind::Blocking => "on tokio's blocking pool",
            ThreadKind::Other => "on a thread of its own",
        };
        // The call's place is the diagnosis's (`cpu_sites`): only a recorded run knows it,
        // and the message must read the same in both runs.
        out.push_str(&format!(
            "\n  {:>8} to {:>8}  {thread}",
            secs(call.start),
            secs(call.end)
        ));
    }
    if out.is_empty() {
        return out;
    }
    format!("\nwhen the slow function ran:{out}")
}

/// A peer did not receive an expected line.
pub fn reply_missing(line: &str) -> String {
    format!("never received `{line}`")
}

/// A peer received lines other than a group expected in any order.
pub fn replies_any_order(lines: &[String]) -> String {
    format!("expected the lines {lines:?} (in any order)")
}

/// A peer's line `number` (from 1) is not the one expected.
pub fn reply_differs(number: usize, expected: &str, got: &str) -> String {
    format!("line {number}: expected `{expected}`, received `{got}`")
}

/// A peer's line came at the wrong time.
pub fn reply_late(line: &str, at: f64, expected: f64) -> String {
    let when = if at > expected { "late" } else { "early" };
    format!(
        "received `{line}` at {}; expected at {} ({when})",
        secs(at),
        secs(expected)
    )
}

/// A peer received more than expected.
pub fn reply_extra(line: &str) -> String {
    format!("received more than expected, from `{line}`")
}

/// Every peer's transcript: per peer, each read with its time, and its end of file; first,
/// when a server's shutdown signal fired (`shutdown`), if it did.
pub fn transcripts(
    transcripts: &[asynclings_runner::net::PeerTranscript],
    shutdown: Option<f64>,
) -> String {
    // In a client lesson the peers are servers the client's attempts reach.
    let client = transcripts.iter().any(|t| t.connected_at.is_some());
    let other = if client { "client" } else { "server" };
    let mut out = Vec::new();
    if let Some(at) = shutdown {
        out.push(format!("  {:>10}  (the shutdown signal)", secs(at)));
    }
    for t in transcripts {
        out.push(format!("  {}:", t.name));
        match t.connected_at {
            Some(at) if t.refused => {
                out.push(format!(
                    "    {:>8}  (refused the client's attempt)",
                    secs(at)
                ));
                continue;
            }
            Some(at) => out.push(format!("    {:>8}  (the client connected)", secs(at))),
            None if client => {
                out.push("              (never reached: no attempt came this far)".into());
                continue;
            }
            None => {}
        }
        if t.received.is_empty() {
            out.push("    (nothing)".into());
        }
        for r in t.received.iter().take(20) {
            out.push(format!("    {:>8}  {:?}", secs(r.at), r.data));
        }
        if t.received.len() > 20 {
            out.push(format!("    … {} more reads", t.received.len() - 20));
        }
        match t.closed_at {
            Some(at) => out.push(format!(
                "    {:>8}  (the {other} closed the connection)",
                secs(at)
            )),
            None => out.push(format!(
                "              (the {other} never closed the connection)"
            )),
        }
    }
    out.join("\n")
}

/// A network case that did not finish: its message, then what each peer had received.
pub fn peer_transcripts_so_far(message: &str, transcripts: &str) -> String {
    format!(
        "{message}; what each peer had received (time on the clock, bytes as read):\n{transcripts}"
    )
}

/// A case gives peers to a function that takes no connections.
pub fn peers_unplayed(function: &str) -> String {
    format!(
        "the spec gives this case peers, but `{function}` takes no connections (a `Receiver<DuplexStream>` parameter), so they never connected: give peers only to a function that takes connections"
    )
}
