//! The spec loader never panics: whatever the bytes, it yields a valid spec or located
//! problems (a line and column in the file, and a snippet that renders).
//!
//! Four sources of input: arbitrary bytes; the course's real specs, mutated (bytes cut,
//! tokens of TOML and of the expression language inserted, lines duplicated or swapped);
//! documents generated from the format's keys with random values; and specs of the right
//! shape whose expressions are random, which reach the expression compiler. Each property runs
//! `PROPTEST_CASES` inputs (default below) and prints how many it tried
//! (`cargo test -p checker --test it -- --nocapture spec_fuzz::`).

use crate::common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use checker::spec::{Checked, check_text};
use proptest::prelude::*;

mod strategies;
use strategies::*;

/// Inputs per property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 2000;

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    // Failures are reported with their minimal input; no regression files in the tree.
    config.failure_persistence = None;
    config
}

/// Checks the promise for one input; panics (failing the property) when it is broken.
fn holds(text: &str) -> Checked {
    let checked = check_text(Path::new("specs/fuzz.toml"), text, 1);
    match &checked.lesson {
        Some(_) => assert!(checked.errors.is_empty(), "a lesson with problems"),
        None => assert!(!checked.errors.is_empty(), "no lesson and no problem"),
    }
    for error in &checked.errors {
        assert!(
            error.line >= 1 && error.column >= 1,
            "not located: {error:?}"
        );
        assert!(error.snippet.is_char_boundary(error.highlight.start));
        assert!(error.snippet.is_char_boundary(error.highlight.end));
        assert!(error.highlight.start <= error.highlight.end);
        assert!(error.highlight.end <= error.snippet.len());
        // Rendering must not panic either.
        assert!(!error.to_string().is_empty());
    }
    checked
}

/// The course's specs, as they are, and the test course's (the dining philosophers: its
/// assertions, quantifiers and text functions).
fn real_specs() -> Vec<String> {
    let root = common::root();
    let mut files: Vec<_> = [
        root.join("specs"),
        root.join("checker/tests/fixtures/dining"),
    ]
    .iter()
    .flat_map(|dir| std::fs::read_dir(dir).unwrap())
    .map(|e| e.unwrap().path())
    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Runs the property on `strategy`'s inputs; prints how many were tried and how many were
/// valid specs, and fails with the smallest failing input found.
fn run<S: Strategy>(what: &str, strategy: S, to_text: impl Fn(&S::Value) -> String)
where
    S::Value: std::fmt::Debug,
{
    let tried = AtomicUsize::new(0);
    let valid = AtomicUsize::new(0);
    let config = config();
    let wanted = config.cases as usize;
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&strategy, |input| {
        tried.fetch_add(1, Ordering::Relaxed);
        if holds(&to_text(&input)).lesson.is_some() {
            valid.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    eprintln!(
        "spec loader, {what}: {} inputs tried, {} of them valid specs",
        tried.load(Ordering::Relaxed),
        valid.load(Ordering::Relaxed)
    );
    if let Err(error) = result {
        panic!("{what}: {error}");
    }
    // The count docs/specs.md reports ("Checking specs"): every input asked for was tried.
    assert!(
        tried.load(Ordering::Relaxed) >= wanted,
        "{what}: only {} of {wanted} inputs tried",
        tried.load(Ordering::Relaxed)
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    run(
        "arbitrary bytes",
        proptest::collection::vec(any::<u8>(), 0..400),
        |bytes| String::from_utf8_lossy(bytes).into_owned(),
    );
}

#[test]
fn mutated_real_specs_never_panic() {
    let specs = real_specs();
    run(
        "mutated course specs",
        (0..specs.len(), proptest::collection::vec(mutation(), 1..6)),
        |(spec, mutations)| {
            mutations
                .iter()
                .fold(specs[*spec].clone(), |text, m| apply(&text, m))
        },
    );
}

#[test]
fn generated_documents_never_panic() {
    run("generated documents", document(), String::clone);
}

#[test]
fn structured_specs_with_random_expressions_never_panic() {
    run("specs with random expressions", structured(), String::clone);
}

#[test]
fn the_real_specs_are_valid_inputs() {
    // The mutations start from valid specs: make sure they are.
    for text in real_specs() {
        assert!(holds(&text).lesson.is_some());
    }
}

#[test]
fn known_hard_inputs_are_located() {
    let hard = [
        "",
        "\u{feff}",
        "lesson = \"x\"\nlesson = \"y\"",
        "[[case]]\n[[case]]\n",
        "lesson = \"é\"\ntitle = \"t\"\nfile = \"f\"\nhint = \"h\"\n[[case]]\nname = \"a\"\nfunction = \"f\"\nexpect = { elapsed = \"\"\"\nmax(é\"\"\" }\n",
        "lesson = \"x\"\ntitle = \"t\"\nfile = \"f\"\nhint = \"h\"\n[[case]]\nname = \"a\"\nfunction = \"f\"\nexpect = { elapsed = \"((((((((((((((((((((((((((((((((((((((((((((((1\" }\n",
        "lesson = \"x\"\ntitle = \"t\"\nfile = \"f\"\nhint = \"h\"\n[[case]]\nname = \"a\"\nfunction = \"f\"\n[[case.diagnose]]\nwhen = \"true\"\nsays = \"\\u00e9{max(}\"\n",
        "a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]",
        "lesson = 1\ntitle = 2\nfile = 3\nhint = 4\nfunction = 5\ncase = 6\ndiagnose = 7\nsource = 8\n",
    ];
    for text in hard {
        holds(text);
    }
}

/// Whether `value` is of type `t` (a list of no items is a list of anything).
fn fits(value: &checker::expr::Value, t: &checker::expr::Type) -> bool {
    use checker::expr::{Type, Value};
    match (value, t) {
        (_, Type::Any) => true,
        (Value::Num(_), Type::Num)
        | (Value::Bool(_), Type::Bool)
        | (Value::Text(_), Type::Text)
        | (Value::Range { .. }, Type::Range)
        | (Value::Null, Type::Null)
        | (Value::Record(_), Type::Record(_)) => true,
        (Value::List(items), Type::List(item)) => items.iter().all(|v| fits(v, item)),
        _ => false,
    }
}

#[test]
fn random_expressions_evaluate_as_their_types_say_and_never_panic() {
    use checker::expr::{Expr, Type, Value, Vars};
    let texts =
        |items: &[&str]| Value::List(items.iter().map(|t| Value::Text((*t).into())).collect());
    let numbers = |items: &[f64]| Value::List(items.iter().map(|n| Value::Num(*n)).collect());
    let mut vars = Vars::new();
    vars.set("n", Value::Num(3.0));
    vars.set("max_delay", Value::Num(2.0));
    vars.set("result", numbers(&[0.5, 1.5, 1.0]));
    vars.set("elapsed", Value::Num(1.5));
    vars.set("real", Value::Num(0.001));
    vars.set("in_order", Value::Bool(false));
    vars.set("finished", Value::Bool(true));
    vars.set("error", Value::Text(String::new()));
    vars.set("lines", texts(&["0 eats", "2 eats", "1 eats"]));
    vars.set("line_times", numbers(&[1.0, 1.0, 2.0]));
    vars.set("arrivals", numbers(&[0.5, 1.0]));
    vars.set("uses", texts(&["spawn", "tokio::time::sleep"]));
    vars.set("x", Value::Num(1.0));
    vars.set("i", Value::Num(0.0));
    vars.set(
        "failed",
        Value::Record(
            [("elapsed", true), ("order", false)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::Bool(v)))
                .collect(),
        ),
    );
    let mut env = checker::spec::names::provided_types(vec!["elapsed".into(), "order".into()]);
    env.insert("n".into(), Type::Num);
    env.insert("max_delay".into(), Type::Num);
    env.insert("result".into(), Type::List(Box::new(Type::Num)));
    let typed = AtomicUsize::new(0);
    let evaluated = AtomicUsize::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(config());
    let strategy = prop_oneof![expression(), condition(), number()];
    let result = runner.run(&strategy, |text| {
        let Ok(expr) = Expr::parse(&text) else {
            return Ok(());
        };
        let checked = expr.check_types(&env);
        let value = expr.eval(&vars);
        if let Ok(t) = &checked {
            typed.fetch_add(1, Ordering::Relaxed);
            if let Ok(value) = &value {
                evaluated.fetch_add(1, Ordering::Relaxed);
                prop_assert!(fits(value, t), "{text}: {value} is not {t}");
            }
        }
        if let Ok(false) = expr.eval_bool(&vars) {
            // Explaining a false condition never panics either.
            let _ = expr.why_false(&vars);
        }
        Ok(())
    });
    eprintln!(
        "expressions: {} well-typed, {} of them evaluated to a value of their type",
        typed.load(Ordering::Relaxed),
        evaluated.load(Ordering::Relaxed)
    );
    if let Err(error) = result {
        panic!("{error}");
    }
}
