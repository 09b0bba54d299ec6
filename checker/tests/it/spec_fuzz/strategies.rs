//! What the spec fuzzer feeds the loader: the tokens it inserts, the mutations of real specs,
//! and generated documents and expressions (proptest strategies).

use proptest::prelude::*;

/// Pieces of TOML, of the format's keys and of the expression language.
pub(super) const TOKENS: &[&str] = &[
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
pub(super) fn token(token: &str) -> usize {
    TOKENS.iter().position(|t| *t == token).expect("a token")
}

/// One change to a document.
#[derive(Debug, Clone)]
pub(super) enum Mutation {
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

pub(super) fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(a, l)| Mutation::Cut(a, l)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Mutation::Char(a, c)),
    ]
}

/// The char boundary of `text` nearest below `at % (len + 1)`.
pub(super) fn boundary(text: &str, at: usize) -> usize {
    checker::spec::floor_boundary(text, at % (text.len() + 1))
}

pub(super) fn apply(text: &str, mutation: &Mutation) -> String {
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
pub(super) fn value() -> impl Strategy<Value = String> {
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
pub(super) fn document() -> impl Strategy<Value = String> {
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
pub(super) fn expression() -> impl Strategy<Value = String> {
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
pub(super) fn number() -> impl Strategy<Value = String> {
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
pub(super) fn condition() -> impl Strategy<Value = String> {
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
pub(super) fn expression_for(key: &'static str) -> BoxedStrategy<String> {
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
pub(super) fn structured() -> impl Strategy<Value = String> {
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
