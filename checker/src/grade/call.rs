//! The verdict of a call case: from what the child reported to a result that teaches.
//!
//! The checker recognises some mistakes itself (a stub, a panic, blocking the executor, a task
//! that never finishes, a crash); the spec's `diagnose` rules name the others.

use asynclings_runner::protocol::{CaseReport, CaseRequest, ClockMode, Outcome, Run};

use super::checks::{Timing, call_vars, check_run, secs, values_of};
use super::uniform;
use crate::expr::{Expr, Value, Vars, format_number};
use crate::results::{CaseResult, Observation, Status};
use crate::spec::{CallCase, Case, Diagnose, Lesson};
use crate::supervise::Observed;

/// How the runner starts a message about its own failure (not the student's).
const RUNNER_FAILED: &str = "asynclings runner:";

/// Most bytes of stdout a case keeps for its report.
pub const STDOUT_CAP: u64 = 64 * 1024;

/// Real time that may pass beyond virtual time before a failing call is said to block.
const BLOCKING_SLACK: f64 = 0.2;

/// The request for the runner.
pub fn request(lesson: &Lesson, case: &Case, call: &CallCase, clock: ClockMode) -> CaseRequest {
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
        stdout_cap: STDOUT_CAP,
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
        Observed::Crashed { stderr, .. } if stderr.contains(RUNNER_FAILED) => {
            let why = stderr
                .lines()
                .find(|l| l.contains(RUNNER_FAILED))
                .unwrap_or_default()
                .to_string();
            return result_error(result, format!("the runner could not run the case: {why}"));
        }
        Observed::Crashed {
            status,
            code,
            stderr,
        } => {
            let diagnosis = crash_diagnosis(&status, code, &stderr);
            let mut result =
                result.with_message(format!("the process ended ({status}) before reporting"));
            result.diagnosis = Some(diagnosis);
            result.observed.stderr = stderr;
            return result;
        }
        Observed::Killed { after, stderr } => {
            let mut result = result.with_message(format!(
                "stopped after {} of real time: the process did not respond",
                secs(after)
            ));
            result.diagnosis = Some(
                "the code blocked so hard that even the case's watchdog could not report: an endless loop or blocking call inside async code"
                    .into(),
            );
            result.observed.stderr = stderr;
            return result;
        }
    };
    grade_report(lesson, case, call, report, clock, result)
}

fn result_error(mut result: CaseResult, message: String) -> CaseResult {
    result.status = Status::Error;
    result.points = 0.0;
    result.message = message;
    result
}

fn crash_diagnosis(status: &str, code: Option<i32>, stderr: &str) -> String {
    if stderr.contains("has overflowed its stack") {
        return "the stack overflowed: a function that calls itself without end (async recursion needs Box::pin and a base case)".into();
    }
    if stderr.contains("memory allocation") || stderr.contains("out of memory") {
        return "the process ran out of memory: something grows without bound".into();
    }
    match code {
        Some(code) => format!(
            "the code ended the whole process (exit status {code}) instead of returning: remove std::process::exit"
        ),
        None if status.contains("SIGXFSZ") => {
            "the process wrote more output than the checker allows (a print in an endless loop?)"
                .into()
        }
        None if status.contains("SIGXCPU") => {
            "the process used up its CPU time: an endless loop".into()
        }
        None => format!("the process crashed ({status}): an abort, or unsafe code gone wrong"),
    }
}

fn grade_report(
    lesson: &Lesson,
    case: &Case,
    call: &CallCase,
    report: CaseReport,
    clock: ClockMode,
    mut result: CaseResult,
) -> CaseResult {
    result.observed.stdout = report.stdout.clone();
    result.observed.stdout_dropped = report.stdout_dropped;
    let runs = match report.outcome {
        Outcome::Returned { runs } => runs,
        Outcome::Panicked {
            message,
            location,
            not_implemented,
            at,
        } => {
            return panicked(lesson, case, result, message, location, not_implemented, at);
        }
        Outcome::RealTimeout {
            real,
            clock_at,
            cpu,
            parked,
            clock_moving,
        } => {
            result.message = format!(
                "stopped after {} of real time; the virtual clock stood at {}",
                secs(real),
                secs(clock_at)
            );
            result.diagnosis = Some(if clock_moving {
                format!(
                    "still running after {} of real time, with the virtual clock at {} and moving: it does far more waiting than the lesson needs, or never stops (one wait after another instead of all at once?)",
                    secs(real),
                    secs(clock_at)
                )
            } else if parked {
                format!(
                    "waited for something that never happens: with no timer pending, the clock stood still at {} for {} of real time (a task that never completes, or a handle or channel nobody will ever fill)",
                    secs(clock_at),
                    secs(real)
                )
            } else if cpu > 0.5 * real {
                format!(
                    "blocked the executor for {} of real time while the virtual clock stood at {}, keeping the CPU busy: a loop that never awaits a timer (spinning, or yield_now in a loop). Await tokio::time::sleep instead",
                    secs(real),
                    secs(clock_at)
                )
            } else {
                format!(
                    "blocked the executor for {} of real time while the virtual clock stood at {}: std::thread::sleep (or another blocking call) holds the thread, so no other task can run. Use tokio::time::sleep(...).await",
                    secs(real),
                    secs(clock_at)
                )
            });
            return result;
        }
        Outcome::VirtualTimeout { limit } => {
            result.message = format!("did not finish within {} of virtual time", secs(limit));
            result.diagnosis = Some(
                "it never finishes: a loop that keeps sleeping, or waiting on something that never comes".into(),
            );
            return result;
        }
        Outcome::BadRequest { message } => {
            return result_error(
                result,
                format!("the spec does not fit the implementation: {message}"),
            );
        }
    };
    let timing = Timing {
        tolerance: call.expect.tolerance,
        real_clock: clock == ClockMode::Real,
    };
    let mut args = Vars::new();
    set_args(&mut args, call);
    let repeated = runs.len() > 1;
    for (index, run) in runs.iter().enumerate() {
        // Stdout belongs to the whole case: check it against the first call only.
        let stdout = (index == 0).then_some(report.stdout.as_slice());
        let vars = call_vars(&args, run, stdout, timing);
        let failures = check_run(&call.expect, &vars, run, stdout, timing);
        if failures.is_empty() {
            continue;
        }
        let prefix = if repeated {
            format!("call {} of {}: ", index + 1, runs.len())
        } else {
            String::new()
        };
        result.message = failures
            .iter()
            .map(|f| format!("{prefix}{f}"))
            .collect::<Vec<_>>()
            .join("\n");
        result.diagnosis = blocking(run, clock).or_else(|| diagnose(&call.diagnose, &vars));
        observe(&mut result.observed, run);
        return result;
    }
    if let Some(range) = &call.expect.uniform {
        let sample: Vec<f64> = runs
            .iter()
            .flat_map(|r| values_of(&Value::from_json(&r.value)))
            .filter_map(|v| if let Value::Num(n) = v { Some(n) } else { None })
            .collect();
        let verdict = match range.eval(&args) {
            Ok(Value::Range { low, high, .. }) => {
                uniform::check(&sample, low, high, call.expect.alpha)
            }
            Ok(other) => Some(format!("`uniform = {range}` is {other}, not a range")),
            Err(e) => Some(format!("cannot evaluate `{range}`: {e}")),
        };
        if let Some(message) = verdict {
            result.message = format!("over {} values: {message}", sample.len());
            if let Some(run) = runs.first() {
                observe(&mut result.observed, run);
            }
            return result;
        }
    }
    result.status = Status::Pass;
    result.points = result.max_points;
    if let Some(run) = runs.first() {
        observe(&mut result.observed, run);
    }
    result
}

fn observe(observation: &mut Observation, run: &Run) {
    observation.value = run.value.clone();
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
            result.diagnosis = Some(format!(
                "`{}` calls code that is not implemented yet ({other}): finish that lesson first",
                case.function
            ));
        }
        return result;
    }
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

/// On the virtual clock, real time well past virtual time means the thread was blocked.
fn blocking(run: &Run, clock: ClockMode) -> Option<String> {
    (clock == ClockMode::Virtual && run.real > run.elapsed + BLOCKING_SLACK).then(|| {
        format!(
            "blocked the executor: the call took {} of real time but only {} on the virtual clock. std::thread::sleep or a busy loop holds the thread; await tokio::time::sleep instead",
            secs(run.real),
            secs(run.elapsed)
        )
    })
}

/// The first diagnosis whose condition holds, with its placeholders filled in.
pub fn diagnose(rules: &[Diagnose], vars: &Vars) -> Option<String> {
    rules
        .iter()
        .find(|rule| rule.when.eval_bool(vars).unwrap_or(false))
        .map(|rule| fill(&rule.says, vars))
}

/// Replaces each `{expression}` of `says` with its value.
pub fn fill(says: &str, vars: &Vars) -> String {
    let mut out = String::new();
    let mut rest = says;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let text = &rest[open + 1..open + close];
        match Expr::parse(text).and_then(|e| e.eval(vars)) {
            Ok(Value::Num(n)) => out.push_str(&format_number(n)),
            Ok(Value::Text(s)) => out.push_str(&s),
            Ok(value) => out.push_str(&value.to_string()),
            Err(_) => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
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
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let mut vars = Vars::new();
        vars.set("elapsed", Value::Num(3.0));
        let rule = |when: &str, says: &str| Diagnose {
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
}
