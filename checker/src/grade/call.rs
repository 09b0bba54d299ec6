//! The verdict of a call case: from what the child reported to a result that teaches.
//!
//! The checker recognises some mistakes itself (a stub, a panic, blocking the executor, a task
//! that never finishes, a crash); the spec's `diagnose` rules name the others.

use asynclings_runner::protocol::{
    self, CaseReport, CaseRequest, ClockMode, Outcome, Run, ThreadState,
};

use super::checks::{Failure, Timing, call_vars, check_expectations, failed_record, numbers_of};
use super::message;
use super::source::Facts;
use super::transcript;
use super::uniform;
use crate::expr::{Expr, Value, Vars};
use crate::os::Ending;
use crate::report::numbers::{format_number, secs};
use crate::results::{CaseResult, Observation, Status};
use crate::spec::{CallCase, Case, Diagnose, Lesson};
use crate::supervise::{self, Observed};

/// How the runner starts a message about its own failure (not the student's).
const RUNNER_FAILED: &str = "asynclings runner:";

/// Most bytes of stdout a case keeps for its report.
pub const STDOUT_CAP: u64 = 64 * 1024;

/// Real time that may pass beyond virtual time before a failing call is said to block.
const BLOCKING_SLACK: f64 = 0.2;

/// The request for the runner; `seed` is the run's (the case's own is derived from it).
pub fn request(
    lesson: &Lesson,
    case: &Case,
    call: &CallCase,
    clock: ClockMode,
    seed: u64,
) -> CaseRequest {
    let probe_at = call.expect.finished_by.as_ref().and_then(|by| {
        let mut vars = Vars::new();
        set_args(&mut vars, call);
        by.eval_number(&vars)
            .ok()
            .map(|t| t + call.expect.tolerance)
    });
    CaseRequest {
        lesson: lesson.id.clone(),
        function: case.function.clone(),
        args: call.args.clone(),
        // Repeating is free only on the virtual clock: on the real one, one call per case.
        repeat: if clock == ClockMode::Real {
            1
        } else {
            call.repeat
        },
        clock,
        probe_at,
        real_timeout: match clock {
            ClockMode::Virtual => call.timeout,
            // Real time is the point: allow the whole virtual budget's worth, within reason.
            ClockMode::Real => call.timeout.max(120.0),
        },
        virtual_timeout: call.virtual_timeout,
        settle: call.settle,
        stdout_cap: STDOUT_CAP,
        confine_call: false,
        record: false,
        peers: call.peers.clone(),
        shutdown: call.shutdown,
        seed: crate::seed::case_seed(seed, &lesson.id, &case.name),
    }
}

fn set_args(vars: &mut Vars, call: &CallCase) {
    for (name, value) in &call.args {
        vars.set(name, Value::from_json(value));
    }
}

/// Grades what was observed of a call case.
pub fn grade(
    lesson: &Lesson,
    case: &Case,
    call: &CallCase,
    observed: Observed,
    clock: ClockMode,
    facts: &Facts,
) -> CaseResult {
    let result = CaseResult::new(
        &case.name,
        &case.function,
        Status::Fail,
        case.points,
        case.hidden,
    );
    let report = match observed {
        Observed::Report(report) => report,
        Observed::NotStarted(why) => {
            return result_error(result, format!("the case could not start: {why}"));
        }
        Observed::Forged { why } => {
            return result_error(
                result,
                format!(
                    "the result channel was tampered with ({why}): the code under test wrote to a file descriptor it does not own"
                ),
            );
        }
        Observed::Crashed { stderr, .. } if stderr.contains(protocol::CHANNEL_LOST) => {
            return result_error(
                result,
                format!(
                    "{}: the case could not report, so it cannot be graded",
                    protocol::CHANNEL_LOST
                ),
            );
        }
        Observed::Crashed { stderr, .. } if stderr.contains(RUNNER_FAILED) => {
            let why = stderr
                .lines()
                .find(|l| l.contains(RUNNER_FAILED))
                .unwrap_or_default()
                .to_string();
            return result_error(result, format!("the runner could not run the case: {why}"));
        }
        Observed::Crashed { ending, stderr } => {
            let diagnosis = crash_diagnosis(&ending, &stderr);
            let mut result =
                result.with_message(format!("the process ended ({ending}) before reporting"));
            result.diagnosis = Some(diagnosis);
            result.observed.stderr = stderr;
            return result;
        }
        Observed::Exceeded {
            what,
            after,
            stderr,
        } => {
            let mut result = result.with_message(message::ended_over_budget(after, &what));
            result.diagnosis = Some(message::over_budget_advice(&what));
            result.observed.stderr = stderr;
            return result;
        }
        Observed::Killed {
            after,
            stderr,
            stopped,
        } => {
            let mut result = result.with_message(format!(
                "stopped after {} of real time: the process did not respond",
                secs(after)
            ));
            result.diagnosis = Some(if stopped {
                message::STOPPED_ITSELF.into()
            } else {
                message::WATCHDOG_SILENCED.into()
            });
            result.observed.stderr = stderr;
            return result;
        }
    };
    if let Some(verdict) = left_running(&report, result.clone()) {
        return verdict;
    }
    let forged = report
        .stdout
        .iter()
        .find(|line| protocol::looks_like_frame(&line.text))
        .map(|line| line.text.chars().take(60).collect::<String>());
    let mut result = grade_report(lesson, case, call, report, clock, facts, result);
    if let Some(line) = forged.filter(|_| result.status != Status::Pass) {
        result.diagnosis = Some(message::forged_frame(&line));
    }
    result
}

fn result_error(mut result: CaseResult, message: String) -> CaseResult {
    result.status = Status::Error;
    result.points = 0.0;
    result.message = message;
    result
}

fn crash_diagnosis(ending: &Ending, stderr: &str) -> String {
    if stderr.contains("has overflowed its stack") {
        return message::STACK_OVERFLOW.into();
    }
    if stderr.contains("memory allocation") || stderr.contains("out of memory") {
        return message::out_of_memory(&message::bytes(supervise::ADDRESS_SPACE_LIMIT));
    }
    match ending {
        Ending::Exited(code) => message::exited(*code),
        Ending::FileSize => message::file_too_large(&message::bytes(supervise::FILE_SIZE_LIMIT)),
        Ending::CpuTime => message::CPU_TIME.into(),
        Ending::Aborted => message::aborted(crate::os::ABORT_NAME),
        Ending::Crashed(what) => message::crashed(what),
    }
}

/// A verdict for a case that left processes or OS threads running: a lesson's function must
/// be done when it returns, and processes outside the case could act on the grader.
fn left_running(report: &CaseReport, mut result: CaseResult) -> Option<CaseResult> {
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
const THREADS_LEFT_LIMIT: u32 = 32;

/// Which of tokio's clock controls moved the clock, as the source shows (`advance` first: it
/// is the one that moves it), or the symptom when the source calls none.
fn clock_control(facts: &Facts) -> String {
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
fn cycling_diagnosis(real: f64, clock_at: f64, facts: &Facts) -> String {
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
fn real_timeout_diagnosis(
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

fn grade_report(
    lesson: &Lesson,
    case: &Case,
    call: &CallCase,
    report: CaseReport,
    clock: ClockMode,
    facts: &Facts,
    mut result: CaseResult,
) -> CaseResult {
    result.observed.stdout = report.stdout.clone();
    result.observed.stdout_dropped = report.stdout_dropped;
    // Present only in a recorded run (a failing case's second run).
    let trace = report.timeline;
    result.observed.transcripts = report.transcripts.clone();
    result.observed.attempts = report.attempts.clone();
    let mut runs = match report.outcome {
        Outcome::Returned { runs } => runs,
        Outcome::Panicked {
            message,
            location,
            not_implemented,
            at,
        } => {
            let mut result = panicked(lesson, case, result, message, location, not_implemented, at);
            // A panic in a spawned task: the trace says which task, spawned where.
            if result.diagnosis.is_none() {
                result.diagnosis = trace.as_deref().and_then(super::evidence::from_trace);
            }
            return result;
        }
        Outcome::RealTimeout {
            real,
            clock_at,
            cpu,
            parked,
            clock_moving,
            cycling,
            main_thread,
        } => {
            result.message = format!(
                "stopped after {} of real time; the virtual clock stood at {}",
                secs(real),
                secs(clock_at)
            );
            result.diagnosis = Some(real_timeout_diagnosis(
                real,
                clock_at,
                cpu,
                parked,
                clock_moving,
                cycling.then_some(facts),
                // Waiting for what the OS does not say (macOS, Windows): the source may.
                match main_thread {
                    Some(ThreadState::Waiting)
                        if facts.uses.iter().any(|u| u == "std::thread::sleep") =>
                    {
                        Some(ThreadState::Sleeping)
                    }
                    other => other,
                },
            ));
            return result;
        }
        Outcome::VirtualTimeout { limit, idle_for } => {
            result.message = format!("did not finish within {} of virtual time", secs(limit));
            if !report.transcripts.is_empty() {
                result.message = message::peer_transcripts_so_far(
                    &result.message,
                    &transcript::describe(&report.transcripts, report.shutdown_at),
                );
            }
            // The spec's diagnoses that read `finished` may name why: they see the
            // arguments, what was printed, `elapsed` (the budget) and `finished` (false).
            let mut args = Vars::new();
            set_args(&mut args, call);
            let mut vars = Vars::inside(&args);
            vars.set("finished", Value::Bool(false));
            vars.set("elapsed", Value::Num(limit));
            vars.set(
                "lines",
                Value::List(
                    report
                        .stdout
                        .iter()
                        .map(|l| Value::Text(l.text.clone()))
                        .collect(),
                ),
            );
            vars.set(
                "line_times",
                Value::List(report.stdout.iter().map(|l| Value::Num(l.at)).collect()),
            );
            vars.set(
                "uses",
                Value::List(facts.uses.iter().cloned().map(Value::Text).collect()),
            );
            transcript::set_vars(
                &mut vars,
                &report.transcripts,
                &report.attempts,
                report.shutdown_at.or(call.shutdown),
            );
            // Only rules written for it: those that read `finished`.
            let rules: Vec<Diagnose> = call
                .diagnose
                .iter()
                .filter(|rule| rule.when.variables().iter().any(|(n, _)| n == "finished"))
                .cloned()
                .collect();
            if let Some(named) =
                super::evidence::from_source(facts).or_else(|| diagnose(&rules, &vars))
            {
                result.diagnosis = Some(named);
                return result;
            }
            result.diagnosis = Some(match idle_for {
                // Nothing woke the call for most of the budget: what it awaited never came.
                // The trace (a recorded run) says which tasks were still waiting.
                Some(idle) if idle > limit / 2.0 => match &trace {
                    Some(trace) => {
                        message::deadlocked(limit - idle, &super::trace::still_waiting(trace))
                    }
                    None => message::never_woken(limit - idle),
                },
                _ => message::NEVER_FINISHES.into(),
            });
            return result;
        }
        Outcome::BadRequest { message } => {
            return result_error(
                result,
                format!("the spec does not fit the implementation: {message}"),
            );
        }
    };
    if let Some(why) = transcript::unplayed(&call.peers, &report.transcripts, &case.function) {
        return result_error(result, why);
    }
    let timing = Timing {
        tolerance: call.expect.tolerance,
        real_clock: clock == ClockMode::Real,
    };
    let mut args = Vars::new();
    set_args(&mut args, call);
    let repeated = runs.len() > 1;
    let mut failed_at = None;
    for (index, run) in runs.iter().enumerate() {
        // Stdout belongs to the whole case: check it against the first call only.
        let stdout = (index == 0).then_some(report.stdout.as_slice());
        let mut vars = call_vars(&args, run, stdout, timing);
        vars.set(
            "uses",
            Value::List(facts.uses.iter().cloned().map(Value::Text).collect()),
        );
        if let Some(trace) = &trace {
            super::trace::set_vars(&mut vars, trace);
        }
        transcript::set_vars(
            &mut vars,
            &report.transcripts,
            &report.attempts,
            report.shutdown_at.or(call.shutdown),
        );
        let mut failures = check_expectations(&call.expect, &vars, run, stdout, timing);
        failures.extend(transcript::check(
            &call.expect,
            &vars,
            &report.transcripts,
            timing,
        ));
        failures.extend(
            blocked_too_long(run, clock, call.expect.max_blocked).map(|message| Failure {
                name: "max_blocked".into(),
                message,
            }),
        );
        failures.extend(moved_the_clock(run).map(|message| Failure {
            name: "moved_clock".into(),
            message,
        }));
        if failures.is_empty() {
            continue;
        }
        // The diagnoses may read which expectations failed: `failed.elapsed`.
        vars.set("failed", failed_record(&call.expect, &failures));
        let prefix = if repeated {
            format!("call {} of {}: ", index + 1, runs.len())
        } else {
            String::new()
        };
        result.message = failures
            .iter()
            .map(|f| format!("{prefix}{}", f.message))
            .collect::<Vec<_>>()
            .join("\n");
        result.diagnosis = moved_the_clock(run)
            .map(|_| clock_control(facts))
            .or_else(|| blocking(run, clock, call.expect.max_blocked))
            .or_else(|| super::evidence::from_source(facts))
            .or_else(|| diagnose(&call.diagnose, &vars))
            .or_else(|| trace.as_deref().and_then(super::evidence::from_trace))
            .or_else(|| {
                let groups = call.expect.stdout.as_deref()?;
                super::checks::invisible_difference(groups, stdout?)
            });
        failed_at = Some(index);
        break;
    }
    if let Some(index) = failed_at {
        observe(&mut result.observed, runs.swap_remove(index));
        return result;
    }
    if let Some(range) = &call.expect.uniform {
        let sample: Vec<f64> = runs.iter().flat_map(|r| numbers_of(&r.value)).collect();
        let verdict = match range.eval(&args) {
            Ok(Value::Range { low, high, .. }) => {
                uniform::check(&sample, low, high, call.expect.alpha)
                    .map(|f| (f.message, Some(f.diagnosis)))
            }
            Ok(other) => Some((format!("`uniform = {range}` is {other}, not a range"), None)),
            Err(e) => Some((format!("cannot evaluate `{range}`: {e}"), None)),
        };
        if let Some((message, diagnosis)) = verdict {
            result.message = format!("over {} values: {message}", sample.len());
            result.diagnosis = diagnosis;
            if let Some(run) = runs.into_iter().next() {
                observe(&mut result.observed, run);
            }
            return result;
        }
    }
    result.status = Status::Pass;
    result.points = result.max_points;
    if let Some(run) = runs.into_iter().next() {
        observe(&mut result.observed, run);
    }
    result
}

/// Keeps what a call returned, and its times, in the case's result. Takes the run: a large
/// value (a million delays) is moved, not copied.
fn observe(observation: &mut Observation, run: Run) {
    observation.value = run.value;
    observation.elapsed = Some(run.elapsed);
    observation.real = Some(run.real);
}

fn panicked(
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
fn panic_diagnosis(message: &str, stdout_dropped: u64) -> Option<String> {
    let too_large = message.contains("File too large") || message.contains("os error 27");
    if message.contains("failed printing to") && too_large {
        return Some(message::printed_too_much(
            &message::bytes(supervise::FILE_SIZE_LIMIT),
            &message::bytes(STDOUT_CAP),
            stdout_dropped,
        ));
    }
    if message.contains("divide by zero") || message.contains("dividing duration by scalar") {
        return Some(message::DIVIDED_BY_ZERO.into());
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
fn blocked_too_long(run: &Run, clock: ClockMode, max_blocked: f64) -> Option<String> {
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
fn moved_the_clock(run: &Run) -> Option<String> {
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
fn blocking(run: &Run, clock: ClockMode, max_blocked: f64) -> Option<String> {
    if clock != ClockMode::Virtual {
        return None;
    }
    if let Some(blocked) = run.blocked.filter(|&b| b > max_blocked) {
        return Some(message::blocked_in_kernel(blocked, run.elapsed));
    }
    (run.real > run.elapsed + BLOCKING_SLACK)
        .then(|| message::real_past_virtual(run.real, run.elapsed))
}

/// The first diagnosis whose condition holds and whose cause the source shows, with its
/// placeholders filled in.
///
/// Grounding is checked here, for every rule: a rule's `cause` names the constructs its
/// message blames, and a rule is skipped unless `uses` (the source's facts) holds each of them.
/// A call whose source could not be read has no `uses`, and no rule with a cause fires for it.
pub fn diagnose(rules: &[Diagnose], vars: &Vars) -> Option<String> {
    rules
        .iter()
        .find(|rule| grounded(rule, vars) && rule.when.eval_bool(vars).unwrap_or(false))
        .map(|rule| fill(&rule.says, vars))
}

/// Whether the source uses every construct `rule` blames.
fn grounded(rule: &Diagnose, vars: &Vars) -> bool {
    if rule.cause.is_empty() {
        return true;
    }
    let Some(Value::List(uses)) = vars.get("uses") else {
        return false;
    };
    rule.cause.iter().all(|cause| {
        uses.iter()
            .any(|u| matches!(u, Value::Text(t) if t == cause))
    })
}

/// Replaces each `{expression}` of `says` with its value (`{{` and `}}` are braces).
pub fn fill(says: &str, vars: &Vars) -> String {
    let mut out = String::new();
    for part in crate::spec::says_parts(says) {
        match part {
            crate::spec::SaysPart::Text(text) => out.push_str(&text),
            crate::spec::SaysPart::Placeholder(placeholder) => {
                match Expr::parse(placeholder.text).and_then(|e| e.eval(vars)) {
                    Ok(Value::Num(n)) => out.push_str(&format_number(n)),
                    Ok(Value::Text(s)) => out.push_str(&s),
                    Ok(value) => out.push_str(&value.to_string()),
                    Err(_) => {
                        out.push('{');
                        out.push_str(placeholder.text);
                        out.push('}');
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let mut vars = Vars::new();
        vars.set("elapsed", Value::Num(23.4));
        vars.set(
            "result",
            Value::List(vec![Value::Num(9.8), Value::Num(13.6)]),
        );
        assert_eq!(
            fill(
                "took {elapsed} s; the longest is {max(result)} s; {nope}",
                &vars
            ),
            "took 23.4 s; the longest is 13.6 s; {nope}"
        );
        assert_eq!(
            fill("a set {{1, 2}} of {len(result)}", &vars),
            "a set {1, 2} of 2"
        );
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let mut vars = Vars::new();
        vars.set("elapsed", Value::Num(3.0));
        let rule = |when: &str, says: &str| Diagnose {
            cause: Vec::new(),
            when: Expr::parse(when).unwrap(),
            says: says.into(),
        };
        let rules = [
            rule("elapsed < 1", "fast"),
            rule("elapsed ~ 3s", "sequential"),
            rule("true", "other"),
        ];
        assert_eq!(diagnose(&rules, &vars).as_deref(), Some("sequential"));
        // A rule that cannot be evaluated (unknown name) does not match.
        assert_eq!(diagnose(&[rule("result > 1", "x")], &vars), None);
    }

    #[test]
    fn a_rule_fires_only_when_the_source_uses_what_it_blames() {
        let blaming = |cause: &[&str]| Diagnose {
            cause: cause.iter().map(|c| c.to_string()).collect(),
            when: Expr::parse("true").unwrap(),
            says: "blames".into(),
        };
        let mut vars = Vars::new();
        // No source facts at all: nothing may be blamed.
        assert_eq!(diagnose(&[blaming(&["spawn"])], &vars), None);
        assert_eq!(diagnose(&[blaming(&[])], &vars).as_deref(), Some("blames"));
        let uses = |names: &[&str]| {
            Value::List(names.iter().map(|n| Value::Text(n.to_string())).collect())
        };
        vars.set("uses", uses(&["spawn", "sleep"]));
        assert_eq!(
            diagnose(&[blaming(&["spawn", "sleep"])], &vars).as_deref(),
            Some("blames")
        );
        // One construct missing is enough to skip it, and the next rule is tried.
        let rules = [blaming(&["spawn", "unbounded_channel"]), blaming(&[])];
        assert_eq!(diagnose(&rules[..1], &vars), None);
        assert_eq!(diagnose(&rules, &vars).as_deref(), Some("blames"));
    }

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
