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

/// Pieces of TOML, of the format's keys and of the expression language.
const TOKENS: &[&str] = &[
    "\n",
    " ",
    "=",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ".",
    "#",
    "\\",
    "\\u00e9",
    "é",
    "日本",
    "\t",
    "\r\n",
    "0",
    "-1",
    "1e999",
    "nan",
    "inf",
    "3.5",
    "true",
    "1979-05-27T07:32:00Z",
    "[[case]]",
    "[case.expect]",
    "[[case.diagnose]]",
    "[[diagnose]]",
    "[[source]]",
    "lesson",
    "title",
    "file",
    "hint",
    "function",
    "points",
    "timeout",
    "virtual_timeout",
    "name",
    "args",
    "repeat",
    "hidden",
    "expect",
    "returns",
    "value",
    "len",
    "each",
    "order",
    "elapsed",
    "tolerance",
    "stdout",
    "arrivals",
    "finished_by",
    "uniform",
    "alpha",
    "settle",
    "error",
    "max_blocked",
    "when",
    "says",
    "forbid",
    "require",
    "line",
    "at",
    "any_order",
    "ascending",
    "result",
    "max(",
    "min(",
    "len(",
    "sum(",
    "(",
    ")",
    "..=",
    "..",
    "~",
    " in ",
    " and ",
    " not ",
    "{",
    "}",
    "{elapsed}",
    "1s",
    "250ms",
    "2min",
    "x",
    "i",
    "result[",
    "((((((((((((((((((((((((((((((((((((",
    "- - - - - - - - - - - - - - - - - - -",
    // The clauses of `assert`, and the language's quantifiers, pairs, fields and text.
    "assert",
    "that",
    "assert = [{ name = \"a\", that = \"true\" }]",
    "all(",
    "any(",
    "count(",
    " in ",
    "windows(",
    "zip(",
    "enumerate(",
    "split(",
    "parse(",
    "format(",
    "match(",
    "%",
    "failed.",
    "{{",
    "}}",
    "[x, y] in ",
    "'^(\\d+) eats$'",
    // The network vocabulary: peers, their scripts, and what they received.
    "[[case.peer]]",
    "[case.expect.peers]",
    "peer",
    "send",
    "connect",
    "close",
    "drop",
    "latency",
    "chunk",
    "data",
    "peers",
    "replies",
    "reply_times[",
    "refuse = true",
    "stall",
    "buffer = 4",
    "attempts",
    "send = [{ at = \"1s\", data = \"a\\n\" }]",
    // A server told to stop: when, and what the peers saw of it.
    "shutdown = \"2.5s\"",
    "shutdown",
    "closed_times[",
];

/// The index of `token` in [`TOKENS`].
fn token(token: &str) -> usize {
    TOKENS.iter().position(|t| *t == token).expect("a token")
}

/// One change to a document.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove bytes `at..at + len`.
    Cut(usize, usize),
    /// Insert a token at `at`.
    Insert(usize, usize),
    /// Repeat line `n`.
    Duplicate(usize),
    /// Swap lines `a` and `b`.
    Swap(usize, usize),
    /// Insert a random character at `at`.
    Char(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(a, l)| Mutation::Cut(a, l)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Mutation::Char(a, c)),
    ]
}

/// The char boundary of `text` nearest below `at % (len + 1)`.
fn boundary(text: &str, at: usize) -> usize {
    checker::spec::floor_boundary(text, at % (text.len() + 1))
}

fn apply(text: &str, mutation: &Mutation) -> String {
    let mut text = text.to_string();
    match *mutation {
        Mutation::Cut(at, len) => {
            let start = boundary(&text, at);
            let end = checker::spec::floor_boundary(&text, start + len);
            text.replace_range(start..end, "");
        }
        Mutation::Insert(at, token) => {
            let at = boundary(&text, at);
            text.insert_str(at, TOKENS[token]);
        }
        Mutation::Char(at, c) => {
            let at = boundary(&text, at);
            text.insert(at, c);
        }
        Mutation::Duplicate(n) | Mutation::Swap(n, _) if text.lines().count() == 0 => {
            let _ = n;
        }
        Mutation::Duplicate(n) => {
            let mut lines: Vec<&str> = text.lines().collect();
            let n = n % lines.len();
            lines.insert(n, lines[n]);
            text = lines.join("\n");
        }
        Mutation::Swap(a, b) => {
            let mut lines: Vec<&str> = text.lines().collect();
            let len = lines.len();
            lines.swap(a % len, b % len);
            text = lines.join("\n");
        }
    }
    text
}

/// A value for a generated document: mostly the right shapes, sometimes not.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        proptest::collection::vec(0..TOKENS.len(), 0..6).prop_map(|tokens| {
            let inner: String = tokens.iter().map(|t| TOKENS[*t]).collect();
            format!("{:?}", inner)
        }),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:?}")),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("\"max(result)\"".to_string()),
        Just("\"0 ..= max_delay\"".to_string()),
        Just("\"ascending\"".to_string()),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            proptest::collection::vec((0..TOKENS.len(), inner), 0..4).prop_map(|entries| {
                let body: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{:?} = {v}", TOKENS[*k]))
                    .collect();
                format!("{{ {} }}", body.join(", "))
            }),
        ]
    })
}

/// A generated document: a header of known keys, then tables of known keys.
fn document() -> impl Strategy<Value = String> {
    let key =
        || prop_oneof![8 => 36usize..72, 1 => Just(token("assert")), 1 => Just(token("that"))];
    let keys = proptest::collection::vec((key(), value()), 0..8);
    let tables = proptest::collection::vec(
        (
            prop_oneof![Just(30usize), Just(31), Just(32), Just(33), Just(34)],
            proptest::collection::vec((key(), value()), 0..6),
        ),
        0..6,
    );
    (keys, tables).prop_map(|(keys, tables)| {
        let mut text = String::from(
            "lesson = \"wait_n\"\ntitle = \"t\"\nfile = \"06_wait_n.rs\"\nhint = \"h\"\n",
        );
        for (key, value) in keys {
            text.push_str(&format!("{} = {value}\n", TOKENS[key]));
        }
        for (header, entries) in tables {
            text.push_str(TOKENS[header]);
            text.push('\n');
            for (key, value) in entries {
                text.push_str(&format!("{} = {value}\n", TOKENS[key]));
            }
        }
        text
    })
}

/// An expression of the spec language, well-formed most of the time.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..100).prop_map(|n| n.to_string()),
        (0u32..5000).prop_map(|n| format!("{n}ms")),
        Just("1.5s".to_string()),
        prop::sample::select(vec![
            "n",
            "max_delay",
            "result",
            "elapsed",
            "real",
            "x",
            "i",
            "lines",
            "in_order",
            "arrivals",
            "line_times",
            "error",
            "finished",
            "'timeout'",
            "unknown",
            "true",
            "'text'",
            "v",
            "w",
            "'3 eats'",
            "failed.elapsed",
            "failed.order",
            "failed.nope",
            "[]",
            "uses",
        ])
        .prop_map(str::to_string),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", " and ", " or "]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (
                inner.clone(),
                prop::sample::select(vec!["<", "<=", "==", "!=", "~", " in "]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} ..= {b}")),
            (
                prop::sample::select(vec!["max", "min", "sum", "len", "mean", "abs", "round"]),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}[{b}]")),
            inner.clone().prop_map(|a| format!("not ({a})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            // Quantifiers binding `v` (or `[v, w]`), over a list or a range.
            (
                prop::sample::select(vec!["all", "any", "count", "sum", "min", "max"]),
                prop::sample::select(vec!["v", "[v, w]", "[v]"]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(q, binder, over, body)| format!("{q}({binder} in {over}, {body})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) % ({b})")),
            (
                prop::sample::select(vec![
                    "split",
                    "parse",
                    "enumerate",
                    "sort",
                    "windows",
                    "zip",
                    "format",
                    "match",
                    "matches",
                    "all",
                ]),
                proptest::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (
                inner.clone(),
                prop::sample::select(vec!["'{} eats'", "'^(\\d+) (\\w+)$'", "'('", "' '"])
            )
                .prop_map(|(a, text)| format!("match({a}, {text})[1]")),
            inner.prop_map(|a| format!("format('{{}} at {{}}', {a}, 1)")),
        ]
    })
}

/// A well-typed number expression: quantifiers, pairs and text functions in their place, so
/// that inputs get past the type check to a valid spec.
fn number() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "1",
        "250ms",
        "n",
        "max_delay",
        "elapsed",
        "len(lines)",
        "len(result)",
        "count(v in lines, v == '3 eats')",
        "sum(v in line_times, v)",
        "parse(split('3 eats')[0])",
    ])
    .prop_map(str::to_string);
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "%"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("max({a}, {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("sum(v in 0 .. {a}, {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}][0]")),
            inner
                .clone()
                .prop_map(|a| format!("len(split(format('{{}} eats', {a})))")),
            inner.prop_map(|a| format!("count([v, w] in windows(line_times, 2), w - v >= {a})")),
        ]
    })
}

/// A well-typed condition.
fn condition() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            number(),
            prop::sample::select(vec!["<", "<=", "==", "!=", "~"]),
            number()
        )
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (number(), number()).prop_map(|(a, b)| format!("{a} in 0 ..= {b}")),
        number().prop_map(|a| format!("all(v in line_times, v <= {a})")),
        number().prop_map(|a| format!(
            "any([i, l] in enumerate(lines), matches(l, '^\\d+') and i < {a})"
        )),
        Just("in_order and finished".to_string()),
    ]
}

/// An expression for `key`: well-typed for it most of the time, random otherwise.
fn expression_for(key: &'static str) -> BoxedStrategy<String> {
    let typed = match key {
        // Constants, and expressions of the arguments only.
        "tolerance" => prop::sample::select(vec!["1ms", "2ms", "0.5s"])
            .prop_map(str::to_string)
            .boxed(),
        "uniform" => prop::sample::select(vec!["0 ..= max_delay", "0 .. n * 1s", "1 ..= 2"])
            .prop_map(str::to_string)
            .boxed(),
        "finished_by" => prop::sample::select(vec!["max_delay", "n * 250ms", "max(n, 2) % 3"])
            .prop_map(str::to_string)
            .boxed(),
        "each" => (number(), number())
            .prop_map(|(a, b)| format!("{a} ..= {b}"))
            .boxed(),
        "when" | "that" => condition().boxed(),
        _ => number().boxed(),
    };
    prop_oneof![3 => typed, 1 => expression()].boxed()
}

/// A spec with the format's shape and random expressions: most inputs reach the compiler.
fn structured() -> impl Strategy<Value = String> {
    let keys = vec![
        "value",
        "len",
        "each",
        "elapsed",
        "arrivals",
        "finished_by",
        "uniform",
        "tolerance",
    ];
    let expect = proptest::collection::vec(
        prop::sample::select(keys).prop_flat_map(|key| (Just(key), expression_for(key))),
        0..4,
    );
    // Named assertions, sometimes named twice or with a name that is not one.
    let asserts = proptest::collection::vec(
        (
            prop_oneof![
                4 => prop::sample::select(vec!["meals", "neighbours", "ate"]),
                1 => prop::sample::select(vec!["elapsed", "two words", ""]),
            ],
            expression_for("that"),
        ),
        0..3,
    );
    let case = (
        prop::sample::select(vec!["a", "b", "c"]),
        // Both arguments most of the time, so that expressions reading them can be valid.
        prop_oneof![
            3 => (0u32..20, 0u32..20).prop_map(|(n, m)| vec![("n", n), ("max_delay", m)]),
            1 => proptest::collection::vec(
                (prop::sample::select(vec!["n", "max_delay"]), 0u32..20),
                0..3,
            ),
        ],
        (expect, asserts),
        proptest::option::of((expression_for("when"), expression())),
        // A settle: a constant duration most of the time, a random expression else.
        proptest::option::of(prop_oneof![
            3 => prop::sample::select(vec!["0s", "5s", "250ms", "1min"]).prop_map(str::to_string),
            1 => expression(),
        ]),
        // An error kind: a known one most of the time.
        proptest::option::of(prop::sample::select(vec![
            "timeout",
            "cancelled",
            "panicked",
            "closed",
            "other",
            "late",
        ])),
    );
    (
        proptest::collection::vec(case, 1..4),
        proptest::option::of((expression_for("when"), expression())),
    )
        .prop_map(|(cases, diagnose)| {
            let mut text = String::from(
                "lesson = \"wait_n\"\ntitle = \"t\"\nfile = \"06_wait_n.rs\"\nhint = \"h\"\nfunction = \"wait_n\"\n",
            );
            for (name, args, (expect, asserts), diagnose, settle, error) in cases {
                let mut seen = std::collections::BTreeSet::new();
                let args: Vec<String> = args
                    .into_iter()
                    .filter(|(k, _)| seen.insert(*k))
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect();
                text.push_str(&format!(
                    "[[case]]\nname = \"{name}\"\nargs = {{ {} }}\n",
                    args.join(", ")
                ));
                if let Some(settle) = &settle {
                    text.push_str(&format!("settle = {settle:?}\n"));
                }
                text.push_str("[case.expect]\n");
                if let Some(error) = error {
                    text.push_str(&format!("error = {error:?}\n"));
                }
                let mut seen = std::collections::BTreeSet::new();
                for (key, value) in expect {
                    if seen.insert(key) {
                        text.push_str(&format!("{key} = {value:?}\n"));
                    }
                }
                if !asserts.is_empty() {
                    let clauses: Vec<String> = asserts
                        .iter()
                        .map(|(name, that)| format!("{{ name = {name:?}, that = {that:?} }}"))
                        .collect();
                    text.push_str(&format!("assert = [{}]\n", clauses.join(", ")));
                }
                if let Some((when, says)) = diagnose {
                    text.push_str(&format!(
                        "[[case.diagnose]]\nwhen = {when:?}\nsays = \"took {{{says}}} s\"\n"
                    ));
                }
            }
            if let Some((when, says)) = diagnose {
                text.push_str(&format!(
                    "[[diagnose]]\nwhen = {when:?}\nsays = \"took {{{says}}} s\"\n"
                ));
            }
            text
        })
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
