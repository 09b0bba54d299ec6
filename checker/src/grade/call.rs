//! The verdict of a call case: from what the child reported to a result that teaches.
//!
//! The checker recognises some mistakes itself (a stub, a panic, blocking the executor, a task
//! that never finishes, a crash); the spec's `diagnose` rules name the others.

use asynclings_runner::protocol::{
    self, CaseReport, CaseRequest, ClockMode, Outcome, Run, ThreadState,
};
use asynclings_runner::timeline::Timeline;

use super::STDOUT_CAP;
use super::checks::timing::Timing;
use super::checks::vars::{call_vars, numbers_of};
use super::checks::{Failure, check_expectations, failed_record};
use super::message;
use super::rules::diagnose;
use super::source::Facts;
use super::stopped::{
    blocked_too_long, blocking, clock_control, crash_diagnosis, left_running, moved_the_clock,
    panicked, real_timeout_diagnosis, result_error,
};
use super::transcript;
use super::uniform;
use crate::expr::{Value, Vars};
use crate::results::{CaseResult, Observation, Status};
use crate::spec::{CallCase, Case, Diagnose, Lesson};
use crate::supervise::Observed;
use crate::text::numbers::secs;

/// How the runner starts a message about its own failure (not the student's).
const RUNNER_FAILED: &str = "asynclings runner:";

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
        cost: call.cost,
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
        // Only the start line, which the code under test cannot write, says the runner failed:
        // a lesson that prints the runner's words on stderr and exits still gets its crash.
        Observed::NotReady { ending, stderr } => {
            let why = stderr
                .lines()
                .rev()
                .find(|l| l.contains(RUNNER_FAILED))
                .map_or_else(
                    || format!("it ended ({ending}) before it was ready"),
                    str::to_string,
                );
            return result_error(result, message::runner_not_ready(&why));
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

/// Whether a number among the case's arguments has a fraction (`2.5`, `[1, 0.4]`): what
/// whole seconds would lose.
fn fractional(call: &CallCase) -> bool {
    fn has(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::Number(n) => n.as_f64().is_some_and(|x| x.fract() != 0.0),
            serde_json::Value::Array(items) => items.iter().any(has),
            serde_json::Value::Object(fields) => fields.values().any(has),
            _ => false,
        }
    }
    call.args.values().any(has)
}

/// The verdict of a call whose process reported `report`: how the call ended (returned,
/// panicked, stopped in real or virtual time), then each run's expectations, then the
/// distribution of the values over the runs (`uniform`).
fn grade_report(
    lesson: &Lesson,
    case: &Case,
    call: &CallCase,
    mut report: CaseReport,
    clock: ClockMode,
    facts: &Facts,
    mut result: CaseResult,
) -> CaseResult {
    result.observed.stdout = report.stdout.clone();
    result.observed.stdout_dropped = report.stdout_dropped;
    // Present only in a recorded run (a failing case's second run).
    let trace = report.timeline.take();
    let trace = trace.as_deref();
    result.observed.transcripts = report.transcripts.clone();
    result.observed.attempts = report.attempts.clone();
    result.observed.cpu = report.cpu.clone();
    // The runs are moved out (a million delays are not copied); the rest is read in place.
    let outcome = std::mem::replace(
        &mut report.outcome,
        Outcome::BadRequest {
            message: String::new(),
        },
    );
    let mut runs = match outcome {
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
                result.diagnosis = trace.and_then(super::evidence::from_trace);
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
            return virtual_timeout(call, &report, trace, facts, limit, idle_for, result);
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
    let seen = Seen {
        report: &report,
        trace,
        facts,
    };
    if let Some(index) = first_failing_run(call, &args, &runs, seen, timing, &mut result) {
        observe(&mut result.observed, runs.swap_remove(index));
        return result;
    }
    if let Some((message, diagnosis)) = not_uniform(call, &args, &runs) {
        result.message = message;
        result.diagnosis = diagnosis;
    } else {
        result.status = Status::Pass;
        result.points = result.max_points;
    }
    if let Some(run) = runs.into_iter().next() {
        observe(&mut result.observed, run);
    }
    result
}

/// What a call's process reported besides its runs, and the source's facts: what the
/// expectations and diagnoses of a call read.
#[derive(Clone, Copy)]
struct Seen<'a> {
    report: &'a CaseReport,
    trace: Option<&'a Timeline>,
    facts: &'a Facts,
}

impl Seen<'_> {
    /// Sets in `vars` what every expression of the call may read beside the call's own
    /// values: the source's `uses`, the trace's names (a recorded run), what the peers
    /// received and when, and the CPU work of the call.
    fn set_vars(self, vars: &mut Vars, call: &CallCase) {
        vars.set(
            "uses",
            Value::List(self.facts.uses.iter().cloned().map(Value::Text).collect()),
        );
        if let Some(trace) = self.trace {
            super::trace::set_vars(vars, trace);
        }
        transcript::set_vars(
            vars,
            &self.report.transcripts,
            &self.report.attempts,
            self.report.shutdown_at.or(call.shutdown),
        );
        transcript::set_cpu_vars(vars, &self.report.cpu);
    }
}

/// The verdict of a call that did not finish within `limit` seconds of virtual time, idle
/// for the last `idle_for` of them: what still waited, and why, by the source, the spec's
/// rules that read `finished`, or how long nothing woke it.
fn virtual_timeout(
    call: &CallCase,
    report: &CaseReport,
    trace: Option<&Timeline>,
    facts: &Facts,
    limit: f64,
    idle_for: Option<f64>,
    mut result: CaseResult,
) -> CaseResult {
    result.message = format!("did not finish within {} of virtual time", secs(limit));
    if !report.transcripts.is_empty() {
        result.message = message::peer_transcripts_so_far(
            &result.message,
            &transcript::describe(&report.transcripts, report.shutdown_at),
        );
    }
    // What still waited when the clock stopped, by the trace of a recorded run.
    if let Some(trace) = trace {
        let waiting = super::trace::still_waiting(trace);
        if !waiting.is_empty() {
            result.message = message::still_waiting_at_limit(&result.message, &waiting);
        }
    }
    // The spec's diagnoses that read `finished` may name why: they see the arguments, what
    // was printed, `elapsed` (the budget) and `finished` (false), and the trace.
    let mut args = Vars::new();
    set_args(&mut args, call);
    let mut vars = Vars::inside(&args);
    Seen {
        report,
        trace,
        facts,
    }
    .set_vars(&mut vars, call);
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
    // Only rules written for it: those that read `finished`.
    let rules: Vec<Diagnose> = call
        .diagnose
        .iter()
        .filter(|rule| rule.when.variables().iter().any(|(n, _)| n == "finished"))
        .cloned()
        .collect();
    let seen = super::evidence::Seen {
        fractional_args: fractional(call),
        whole_values: false,
    };
    if let Some(named) =
        super::evidence::from_source(facts, seen).or_else(|| diagnose(&rules, &vars))
    {
        result.diagnosis = Some(named);
        return result;
    }
    result.diagnosis = Some(match idle_for {
        // Nothing woke the call for most of the budget: what it awaited never came. The trace
        // (a recorded run) says which tasks were still waiting.
        Some(idle) if idle > limit / 2.0 => match trace {
            Some(trace) => message::deadlocked(limit - idle, &super::trace::still_waiting(trace)),
            None => message::never_woken(limit - idle),
        },
        _ => message::NEVER_FINISHES.into(),
    });
    result
}

/// The index of the first of `runs` that fails an expectation, with `result`'s message and
/// diagnosis set for it; `None` when every run meets them. Stdout belongs to the whole case:
/// it is checked against the first call only.
fn first_failing_run(
    call: &CallCase,
    args: &Vars,
    runs: &[Run],
    seen: Seen<'_>,
    timing: Timing,
    result: &mut CaseResult,
) -> Option<usize> {
    let report = seen.report;
    for (index, run) in runs.iter().enumerate() {
        let stdout = (index == 0).then_some(report.stdout.as_slice());
        let mut vars = call_vars(args, run, stdout, timing);
        seen.set_vars(&mut vars, call);
        let failures = run_failures(call, &vars, run, stdout, report, timing);
        if failures.is_empty() {
            continue;
        }
        // The diagnoses may read which expectations failed: `failed.elapsed`.
        vars.set("failed", failed_record(&call.expect, &failures));
        let prefix = if runs.len() > 1 {
            format!("call {} of {}: ", index + 1, runs.len())
        } else {
            String::new()
        };
        result.message = failures
            .iter()
            .map(|f| format!("{prefix}{}", f.message))
            .collect::<Vec<_>>()
            .join("\n");
        result.diagnosis = run_diagnosis(call, &vars, run, stdout, seen, timing);
        return Some(index);
    }
    None
}

/// What `run` fails of the call's expectations: its own (`expect`), the peers', blocking the
/// runtime's thread too long, moving the clock.
fn run_failures(
    call: &CallCase,
    vars: &Vars,
    run: &Run,
    stdout: Option<&[protocol::Line]>,
    report: &CaseReport,
    timing: Timing,
) -> Vec<Failure> {
    let clock = clock_of(timing);
    let mut failures = check_expectations(&call.expect, vars, run, stdout, timing);
    failures.extend(transcript::check(
        &call.expect,
        vars,
        &report.transcripts,
        &report.cpu,
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
    failures
}

/// Why `run` failed, first grounded first: the clock moved by the code, the runtime's thread
/// blocked, what the source shows, the spec's rules, the trace, an invisible difference in a
/// printed line.
fn run_diagnosis(
    call: &CallCase,
    vars: &Vars,
    run: &Run,
    stdout: Option<&[protocol::Line]>,
    seen: Seen<'_>,
    timing: Timing,
) -> Option<String> {
    let clock = clock_of(timing);
    moved_the_clock(run)
        .map(|_| clock_control(seen.facts))
        .or_else(|| blocking(run, clock, call.expect.max_blocked))
        .or_else(|| {
            let values = numbers_of(&run.value);
            let evidence = super::evidence::Seen {
                fractional_args: fractional(call),
                whole_values: !values.is_empty() && values.iter().all(|v| v.fract() == 0.0),
            };
            super::evidence::from_source(seen.facts, evidence)
        })
        .or_else(|| diagnose(&call.diagnose, vars))
        .or_else(|| seen.trace.and_then(super::evidence::from_trace))
        .or_else(|| {
            let groups = call.expect.stdout.as_deref()?;
            super::checks::stdout::invisible_difference(groups, stdout?)
        })
}

/// The clock a case ran on, as its `timing` says.
fn clock_of(timing: Timing) -> ClockMode {
    if timing.real_clock {
        ClockMode::Real
    } else {
        ClockMode::Virtual
    }
}

/// (message, diagnosis) when the values of `runs` are not drawn uniformly from the call's
/// `uniform` range (or the range cannot be evaluated); `None` without `uniform` or when they are.
fn not_uniform(call: &CallCase, args: &Vars, runs: &[Run]) -> Option<(String, Option<String>)> {
    let range = call.expect.uniform.as_ref()?;
    let sample: Vec<f64> = runs.iter().flat_map(|r| numbers_of(&r.value)).collect();
    let verdict = match range.eval(args) {
        Ok(Value::Range { low, high, .. }) => uniform::check(&sample, low, high, call.expect.alpha)
            .map(|f| (f.message, Some(f.diagnosis))),
        Ok(other) => Some((format!("`uniform = {range}` is {other}, not a range"), None)),
        Err(e) => Some((format!("cannot evaluate `{range}`: {e}"), None)),
    }?;
    Some((
        format!("over {} values: {}", sample.len(), verdict.0),
        verdict.1,
    ))
}

/// Keeps what a call returned, and its times, in the case's result. Takes the run: a large
/// value (a million delays) is moved, not copied.
fn observe(observation: &mut Observation, run: Run) {
    observation.value = run.value;
    observation.elapsed = Some(run.elapsed);
    observation.real = Some(run.real);
}
