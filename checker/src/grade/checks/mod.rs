//! The expectations of one call, each checked against what the call did.
//!
//! Times compare in ticks of tokio's timer ([`timing`]); the variables the expectations read
//! are the call's ([`vars`]); printed lines are checked against the spec's `stdout` groups
//! ([`stdout`]).

pub mod stdout;
pub mod timing;
pub mod vars;

use asynclings_runner::protocol::{Line, Run};

use crate::expr::{Expr, Value, Vars};
use crate::spec::Expect;
use crate::text::numbers::{format_number, secs};
use stdout::check_stdout;
use timing::check_ascending;
use vars::{error_of, values_of};

// The paths the integration tests (`tests/it/dining.rs`) name.
pub use timing::Timing;
pub use vars::{call_vars, numbers_of};

/// Checks every expectation of one call; returns each failure's message.
pub fn check_run(
    expect: &Expect,
    vars: &Vars,
    run: &Run,
    stdout: Option<&[Line]>,
    timing: Timing,
) -> Vec<String> {
    check_expectations(expect, vars, run, stdout, timing)
        .into_iter()
        .map(|failure| failure.message)
        .collect()
}

/// An expectation a call failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Its name, as diagnoses read it in `failed`: the key (`elapsed`, `len`, ...) or the
    /// name of the `assert` clause.
    pub name: String,
    /// What went wrong.
    pub message: String,
}

/// `failed` for the diagnoses: each expectation of `expect` with whether it is among
/// `failures`.
pub fn failed_record(expect: &Expect, failures: &[Failure]) -> Value {
    Value::Record(
        expect
            .names()
            .into_iter()
            .map(|name| {
                let failed = failures.iter().any(|f| f.name == name);
                (name, Value::Bool(failed))
            })
            .collect(),
    )
}

/// Checks every expectation of one call; returns each failure, named.
pub fn check_expectations(
    expect: &Expect,
    vars: &Vars,
    run: &Run,
    stdout: Option<&[Line]>,
    timing: Timing,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut fail = |name: &str, message: String| {
        failures.push(Failure {
            name: name.to_string(),
            message,
        });
    };
    // call_vars converted the result once; every check reads that.
    let converted;
    let result = match vars.get("result") {
        Some(result) => result,
        None => {
            converted = Value::from_json(&run.value);
            &converted
        }
    };
    let eval_number = |expr: &Expr| {
        expr.eval_number(vars)
            .map_err(|e| format!("cannot evaluate `{expr}`: {e}"))
    };

    let error = error_of(&run.value);
    match (&expect.error, error) {
        (Some(kind), None) => fail(
            "error",
            format!(
                "returned {}; expected an error ({kind})",
                brief_json(&run.value)
            ),
        ),
        (Some(kind), Some((got, message))) if got != kind => fail(
            "error",
            format!("returned an error of kind {got} ({message}); expected one of kind {kind}"),
        ),
        (None, Some((got, message))) => fail(
            "error",
            format!("returned an error ({got}: {message}); expected a value"),
        ),
        _ => {}
    }
    // An error has no value to compare: only times and lines are checked further.
    let value_expected = error.is_none();
    if value_expected
        && let Some(expected) = &expect.returns
        && !same_json(expected, &run.value)
    {
        fail(
            "returns",
            format!(
                "returned {}; expected {}",
                brief_json(&run.value),
                brief_json(expected)
            ),
        );
    }
    if let Some(len) = expect.len.as_ref().filter(|_| value_expected) {
        match (eval_number(len), &result) {
            (Err(e), _) => fail("len", e),
            (Ok(n), Value::List(items)) if items.len() as f64 == n => {}
            (Ok(n), Value::List(items)) => fail(
                "len",
                format!(
                    "returned {} values; expected {} ({len})",
                    items.len(),
                    format_number(n)
                ),
            ),
            (Ok(_), other) => fail("len", format!("returned {other}; expected a list")),
        }
    }
    if value_expected
        && let Some(each) = &expect.each
        && let Some(message) = check_each(each, vars, &values_of(result))
    {
        fail("each", message);
    }
    if expect.ascending
        && value_expected
        && let Some(numbers) = result.numbers()
        && let Some(message) = check_ascending(&numbers, timing)
    {
        fail("order", message);
    }
    if let Some(elapsed) = &expect.elapsed {
        match eval_number(elapsed) {
            Err(e) => fail("elapsed", e),
            Ok(expected) if timing.matches(run.elapsed, expected) => {}
            Ok(expected) => fail(
                "elapsed",
                format!(
                    "took {} on the {} clock; expected {} ({elapsed})",
                    secs(run.elapsed),
                    if timing.real_clock { "real" } else { "virtual" },
                    secs(expected),
                ),
            ),
        }
    }
    if let Some(value) = expect.value.as_ref().filter(|_| value_expected) {
        match (eval_number(value), &result) {
            (Err(e), _) => fail("value", e),
            (Ok(expected), Value::Num(got))
                if (got - expected).abs() <= timing.allowed(expected) + 1e-9 => {}
            (Ok(expected), got) => fail(
                "value",
                format!(
                    "returned {got}; expected {} ({value})",
                    format_number(expected)
                ),
            ),
        }
    }
    if let Some(arrivals) = &expect.arrivals
        && let Some(message) = check_arrivals(arrivals, vars, &values_of(result), run, timing)
    {
        fail("arrivals", message);
    }
    if let Some(by) = &expect.finished_by {
        match (eval_number(by), run.finished_unawaited) {
            (Err(e), _) => fail("finished_by", e),
            (Ok(_), Some(true)) => {}
            (Ok(at), _) => fail(
                "finished_by",
                format!(
                    "the task had not finished by {} although its delay was over: it did not start running when the function was called",
                    secs(at + timing.allowed(at))
                ),
            ),
        }
    }
    if let (Some(groups), Some(lines)) = (&expect.stdout, stdout)
        && let Some(message) = check_stdout(groups, vars, lines, timing)
    {
        fail("stdout", message);
    }
    for clause in &expect.asserts {
        match clause.that.eval_bool(vars) {
            Ok(true) => {}
            Ok(false) => fail(
                &clause.name,
                super::message::assert_failed(&clause.name, &clause.that.why_false(vars)),
            ),
            Err(e) => fail(
                &clause.name,
                super::message::assert_not_evaluated(&clause.name, &e.to_string()),
            ),
        }
    }
    failures
}

fn same_json(expected: &serde_json::Value, got: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (expected, got) {
        (J::Number(a), J::Number(b)) => {
            let (a, b) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            (a - b).abs() <= 1e-9 * a.abs().max(1.0)
        }
        (J::Array(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        _ => expected == got,
    }
}

fn brief_json(value: &serde_json::Value) -> String {
    if let Some((kind, message)) = error_of(value) {
        return format!("an error ({kind}: {message})");
    }
    let value = Value::from_json(value);
    match value {
        Value::Null => "nothing (())".into(),
        other => other.to_string(),
    }
}

fn check_each(each: &Expr, vars: &Vars, values: &[Value]) -> Option<String> {
    // A range that does not read `x` or `i` is evaluated once.
    let reads_item = each
        .variables()
        .iter()
        .any(|(name, _)| name == "x" || name == "i");
    let once = if reads_item {
        None
    } else {
        Some(each.eval(vars))
    };
    for (i, x) in values.iter().enumerate() {
        let verdict = match &once {
            Some(value) => value.clone(),
            None => {
                let mut item = Vars::inside(vars);
                item.set("x", x.clone());
                item.set("i", Value::Num(i as f64));
                each.eval(&item)
            }
        };
        let ok = match (verdict, x) {
            (Err(e), _) => return Some(format!("cannot evaluate `{each}`: {e}")),
            (Ok(range @ Value::Range { .. }), Value::Num(n)) => {
                if range.contains(*n) == Some(true) {
                    continue;
                }
                return Some(format!(
                    "value {} (i = {i}) is outside {range} ({each})",
                    format_number(*n)
                ));
            }
            (Ok(Value::Bool(ok)), _) => ok,
            (Ok(other), _) => {
                return Some(format!("`{each}` is {other}, not a range or a condition"));
            }
        };
        if !ok {
            return Some(format!("value {x} (i = {i}) does not satisfy {each}"));
        }
    }
    None
}

fn check_arrivals(
    expr: &Expr,
    vars: &Vars,
    items: &[Value],
    run: &Run,
    timing: Timing,
) -> Option<String> {
    let arrivals = run.arrivals.as_ref()?;
    for (i, (at, x)) in arrivals.iter().zip(items).enumerate() {
        let mut item = Vars::inside(vars);
        item.set("i", Value::Num(i as f64));
        item.set("x", x.clone());
        match expr.eval_number(&item) {
            Err(e) => return Some(format!("cannot evaluate `{expr}`: {e}")),
            Ok(expected) if timing.matches(*at, expected) => {}
            Ok(expected) => {
                let all: Vec<String> = arrivals.iter().map(|t| format_number(*t)).collect();
                return Some(format!(
                    "item {} arrived at {}; expected at {} ({expr}). Items arrived at: {} s",
                    i + 1,
                    secs(*at),
                    secs(expected),
                    all.join(", ")
                ));
            }
        }
    }
    None
}

/// What the tests of this module and of its children start from.
#[cfg(test)]
mod test_support {
    use super::*;

    /// The virtual clock's timing: one tick of tolerance.
    pub const VIRTUAL: Timing = Timing {
        tolerance: 0.001,
        real_clock: false,
    };

    /// A run that returned `value` after `elapsed` virtual seconds, and nothing else.
    pub fn run(value: serde_json::Value, elapsed: f64) -> Run {
        Run {
            value,
            elapsed,
            real: 0.0,
            arrivals: None,
            finished_unawaited: None,
            blocked: None,
            moved_clock: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{VIRTUAL, run};
    use super::*;

    fn expect() -> Expect {
        Expect {
            tolerance: 0.001,
            ..Expect::default()
        }
    }

    fn expr(text: &str) -> Option<Expr> {
        Some(Expr::parse(text).unwrap())
    }

    /// The failures of `run` against `expect`, with arguments `n = 3`, `max_delay = 10`.
    fn failures(expect: &Expect, run: &Run) -> Vec<String> {
        let mut args = Vars::new();
        args.set("n", Value::Num(3.0));
        args.set("max_delay", Value::Num(10.0));
        let vars = call_vars(&args, run, None, VIRTUAL);
        check_run(expect, &vars, run, None, VIRTUAL)
    }

    #[test]
    fn returns_compares_floats_within_a_relative_1e_9() {
        let expect = Expect {
            returns: Some(serde_json::json!([1.0, 2.5])),
            ..expect()
        };
        let close = run(serde_json::json!([1.0 + 1e-12, 2.5]), 0.0);
        assert!(failures(&expect, &close).is_empty());
        let off = run(serde_json::json!([1.0, 2.5001]), 0.0);
        let got = failures(&expect, &off);
        assert!(got[0].starts_with("returned [1, 2.5]"), "{got:?}");
        let short = run(serde_json::json!([1.0]), 0.0);
        assert_eq!(failures(&expect, &short).len(), 1);
    }

    #[test]
    fn len_counts_the_values() {
        let expect = Expect {
            len: expr("n"),
            ..expect()
        };
        assert!(failures(&expect, &run(serde_json::json!([1, 2, 3]), 0.0)).is_empty());
        let got = failures(&expect, &run(serde_json::json!([1, 2]), 0.0));
        assert_eq!(got, ["returned 2 values; expected 3 (n)"]);
        let got = failures(&expect, &run(serde_json::json!(7), 0.0));
        assert!(got[0].contains("expected a list"), "{got:?}");
    }

    #[test]
    fn each_checks_a_range_and_a_condition() {
        let range = Expect {
            each: expr("0 ..= max_delay"),
            ..expect()
        };
        assert!(failures(&range, &run(serde_json::json!([0.0, 4.2, 10.0]), 0.0)).is_empty());
        let got = failures(&range, &run(serde_json::json!([1.0, 10.5]), 0.0));
        assert!(got[0].contains("value 10.5 (i = 1) is outside"), "{got:?}");
        let condition = Expect {
            each: expr("x > i"),
            ..expect()
        };
        assert!(failures(&condition, &run(serde_json::json!([1, 2, 3]), 0.0)).is_empty());
        let got = failures(&condition, &run(serde_json::json!([1, 1]), 0.0));
        assert!(got[0].contains("value 1 (i = 1)"), "{got:?}");
    }

    #[test]
    fn value_allows_the_tolerance_and_no_more() {
        let expect = Expect {
            value: expr("elapsed / n"),
            ..expect()
        };
        assert!(failures(&expect, &run(serde_json::json!(2.0005), 6.0)).is_empty());
        let got = failures(&expect, &run(serde_json::json!(2.0015), 6.0));
        assert_eq!(got, ["returned 2.002; expected 2 (elapsed / n)"]);
    }

    #[test]
    fn arrivals_are_compared_item_by_item_in_ticks() {
        let expect = Expect {
            arrivals: expr("(i + 1) * 1s"),
            ..expect()
        };
        let mut on_time = run(serde_json::json!([5.0, 6.0, 7.0]), 3.0);
        on_time.arrivals = Some(vec![1.0, 2.001, 3.0]);
        assert!(failures(&expect, &on_time).is_empty());
        let mut early = on_time.clone();
        early.arrivals = Some(vec![0.0, 1.0, 2.0]);
        let got = failures(&expect, &early);
        assert!(
            got[0].starts_with("item 1 arrived at 0 s; expected at 1 s"),
            "{got:?}"
        );
    }

    #[test]
    fn finished_by_needs_the_task_done_unawaited() {
        let expect = Expect {
            finished_by: expr("max_delay"),
            ..expect()
        };
        let mut done = run(serde_json::json!(4.2), 4.2);
        done.finished_unawaited = Some(true);
        assert!(failures(&expect, &done).is_empty());
        let mut late = done.clone();
        late.finished_unawaited = Some(false);
        let got = failures(&expect, &late);
        assert!(got[0].contains("had not finished by 10.001 s"), "{got:?}");
    }

    #[test]
    fn error_names_the_kind_expected_and_a_value_is_not_an_error() {
        let timeout =
            serde_json::json!({"error": {"kind": "timeout", "message": "deadline has elapsed"}});
        let expect_error = Expect {
            error: Some("timeout".into()),
            elapsed: expr("2s"),
            ..expect()
        };
        assert!(failures(&expect_error, &run(timeout.clone(), 2.0)).is_empty());
        // Late: the error is right, the time is not.
        let got = failures(&expect_error, &run(timeout.clone(), 3.0));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("took 3 s"), "{got:?}");
        let got = failures(&expect_error, &run(serde_json::json!(1.5), 2.0));
        assert_eq!(got, ["returned 1.5; expected an error (timeout)"]);
        let cancelled =
            serde_json::json!({"error": {"kind": "cancelled", "message": "task 3 was cancelled"}});
        let got = failures(&expect_error, &run(cancelled, 2.0));
        assert_eq!(
            got,
            [
                "returned an error of kind cancelled (task 3 was cancelled); expected one of kind timeout"
            ]
        );
        // No `error` expected: an error fails, and the value checks are skipped.
        let expect_value = Expect {
            returns: Some(serde_json::json!(1.5)),
            value: expr("1.5"),
            ..expect()
        };
        let got = failures(&expect_value, &run(timeout, 2.0));
        assert_eq!(
            got,
            ["returned an error (timeout: deadline has elapsed); expected a value"]
        );
        assert!(failures(&expect_value, &run(serde_json::json!(1.5), 2.0)).is_empty());
    }

    #[test]
    fn a_false_assert_names_itself_the_items_and_the_values() {
        let clause = |name: &str, that: &str| crate::spec::Assert {
            name: name.into(),
            that: Expr::parse(that).unwrap(),
        };
        let expect = Expect {
            elapsed: expr("1s"),
            asserts: vec![
                clause(
                    "distinct",
                    "all(j in 0 .. len(result), all(k in 0 .. j, result[j] != result[k]))",
                ),
                clause("three", "len(result) == n"),
                clause("positive", "all(x in result, x > 0)"),
            ],
            ..expect()
        };
        let good = run(serde_json::json!([1, 2, 3]), 1.0);
        assert!(failures(&expect, &good).is_empty());
        let bad = run(serde_json::json!([1, 2, 1, 5]), 2.0);
        let got = failures(&expect, &bad);
        assert_eq!(
            got[1..],
            [
                "assert `distinct` fails for j = 2, k = 0: `result[j] != result[k]` is false (result[j] = 1, result[k] = 1)",
                "assert `three` fails: `len(result) == n` is false (len(result) = 4, n = 3)",
            ]
        );
        // `failed` says which, by name: the asserts and the keys.
        let mut args = Vars::new();
        args.set("n", Value::Num(3.0));
        let vars = call_vars(&args, &bad, None, VIRTUAL);
        let found = check_expectations(&expect, &vars, &bad, None, VIRTUAL);
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["elapsed", "distinct", "three"]);
        let Value::Record(failed) = failed_record(&expect, &found) else {
            panic!("a record")
        };
        assert_eq!(failed["distinct"], Value::Bool(true));
        assert_eq!(failed["positive"], Value::Bool(false));
        assert_eq!(failed["elapsed"], Value::Bool(true));
        assert_eq!(failed["max_blocked"], Value::Bool(false));
        // An assert that cannot be evaluated says so, by name.
        let text = run(serde_json::json!("hello"), 1.0);
        let indexing = Expect {
            asserts: vec![clause("index", "result[5] == 1")],
            ..expect
        };
        let got = failures(&indexing, &text);
        assert!(
            got[0].starts_with("assert `index` cannot be evaluated"),
            "{got:?}"
        );
    }
}
