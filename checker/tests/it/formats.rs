//! Machine-readable reports: every format on the reference, the stubs and a failing
//! submission; schemas; JUnit round trip; hidden cases; output stable across runs.

use crate::common;

use crate::common::{checker, lesson_count, root, runner};
use base64::Engine;
use serde_json::Value;

/// Runs the checker with `args` and returns (exit status, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let output = checker().args(args).output().expect("checker runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("utf-8 report"),
    )
}

/// Lessons whose returned values (and so, for most, their times on the virtual clock) are
/// random by design: `wait_random` and the lessons built on it.
const RANDOM_LESSONS: &[&str] = &[
    "wait_random",
    "wait_n",
    "measure_time",
    "task_wait_random",
    "task_wait_n",
    "async_generator",
    "async_comprehension",
];

/// Zeroes what legitimately varies between runs: real time everywhere, and the values and
/// virtual times of the random lessons. Everything else must be identical.
fn normalize(value: &mut Value) {
    if let Some(lessons) = value.get_mut("lessons").and_then(Value::as_array_mut) {
        for lesson in lessons {
            let random = lesson["id"]
                .as_str()
                .is_some_and(|id| RANDOM_LESSONS.contains(&id));
            normalize_in(lesson, random);
        }
    }
    normalize_in(value, false);
}

fn normalize_in(value: &mut Value, random: bool) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match key.as_str() {
                    "real" | "execution_time" if !item.is_null() => *item = Value::from(0),
                    // What the sandbox holds depends on the kernel and the user (root or not).
                    "sandbox" => *item = Value::from("<varies by machine>"),
                    "output" if item.as_str().is_some_and(|o| o.contains("\nSandbox: ")) => {
                        let text = item.as_str().unwrap_or_default();
                        let cut = text.find("\nSandbox: ").unwrap_or(text.len());
                        let rest = text[cut + 1..]
                            .find('\n')
                            .map_or("", |i| &text[cut + 1 + i..]);
                        *item = Value::from(format!(
                            "{}\nSandbox: <varies by machine>{rest}",
                            &text[..cut]
                        ));
                    }
                    "value" | "elapsed" if random => *item = Value::from("<varies>"),
                    _ => normalize_in(item, random),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| normalize_in(item, random)),
        _ => {}
    }
}

fn json_of(args: &[&str], format: &str) -> (i32, Value) {
    let (code, text) = run(&[args, &["--format", format]].concat());
    let text = if format == "github-classroom" {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .expect("base64");
        String::from_utf8(bytes).unwrap()
    } else {
        text
    };
    (
        code,
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{format} is not JSON ({e}): {text}")),
    )
}

fn corpus() -> String {
    runner("corpus").to_str().unwrap().to_string()
}

#[test]
fn json_has_the_documented_fields() {
    let stubs = runner("exercises");
    let (code, report) = json_of(&["--runner", stubs.to_str().unwrap()], "json");
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    for key in ["subject", "clock", "interrupted", "summary", "lessons"] {
        assert!(report.get(key).is_some(), "no `{key}`");
    }
    for lesson in report["lessons"].as_array().unwrap() {
        for key in [
            "number",
            "id",
            "title",
            "file",
            "status",
            "score",
            "max_score",
            "cases",
            "compile_errors",
        ] {
            assert!(lesson.get(key).is_some(), "lesson without `{key}`");
        }
        for case in lesson["cases"].as_array().unwrap() {
            for key in [
                "name",
                "function",
                "status",
                "points",
                "max_points",
                "hidden",
                "message",
                "diagnosis",
                "observed",
            ] {
                assert!(case.get(key).is_some(), "case without `{key}`");
            }
        }
    }
}

#[test]
fn every_format_of_a_failing_submission() {
    let args = [
        "--runner",
        &corpus(),
        "--variant",
        "say_hello_sleep_after",
        "say_hello",
    ];
    for format in ["json", "gradescope", "github-classroom"] {
        let (code, mut report) = json_of(&args, format);
        assert_eq!(code, 1, "{format}");
        normalize(&mut report);
        insta::assert_json_snapshot!(format!("failing_{format}"), report);
    }
    let (_, xml) = run(&[&args[..], &["--format", "junit"]].concat());
    assert_xml_snapshot("failing_junit", &xml);
}

#[test]
fn every_format_of_the_stubs() {
    let stubs = runner("exercises");
    let args = ["--runner", stubs.to_str().unwrap(), "wait_n"];
    for format in ["json", "gradescope", "github-classroom"] {
        let (_, mut report) = json_of(&args, format);
        normalize(&mut report);
        insta::assert_json_snapshot!(format!("stubs_{format}"), report);
    }
    let (_, xml) = run(&[&args[..], &["--format", "junit"]].concat());
    assert_xml_snapshot("stubs_junit", &xml);
}

#[test]
fn every_format_of_the_reference() {
    let reference = runner("solutions");
    let args = ["--runner", reference.to_str().unwrap(), "greet"];
    for format in ["json", "gradescope", "github-classroom"] {
        let (code, mut report) = json_of(&args, format);
        assert_eq!(code, 0);
        normalize(&mut report);
        insta::assert_json_snapshot!(format!("reference_{format}"), report);
    }
    let (_, xml) = run(&[&args[..], &["--format", "junit"]].concat());
    assert_xml_snapshot("reference_junit", &xml);
}

/// What changes in a JUnit report from run to run (times, the timestamp, the sandbox this
/// machine offers): (regular expression, replacement), for insta's filters and [`normalize_xml`].
const XML_VOLATILE: [(&str, &str); 3] = [
    (r#" time="[^"]*""#, r#" time="0""#),
    (r#" timestamp="[^"]*""#, r#" timestamp="0""#),
    (
        r#"name="sandbox" value="[^"]*""#,
        r#"name="sandbox" value="0""#,
    ),
];

/// Asserts the snapshot `name` of a JUnit report, its volatile attributes masked.
fn assert_xml_snapshot(name: &str, xml: &str) {
    let mut settings = insta::Settings::clone_current();
    for (pattern, replacement) in XML_VOLATILE {
        settings.add_filter(pattern, replacement);
    }
    settings.bind(|| insta::assert_snapshot!(name, xml));
}

/// A JUnit report with its volatile attributes masked, as its snapshot stores it.
fn normalize_xml(xml: &str) -> String {
    XML_VOLATILE
        .iter()
        .fold(xml.to_string(), |text, (pattern, replacement)| {
            let pattern = regex::Regex::new(pattern).expect("a valid pattern");
            pattern.replace_all(&text, *replacement).into_owned()
        })
}

#[test]
fn junit_parses_back_with_quick_junit() {
    for args in [
        vec![
            "--runner".to_string(),
            runner("solutions").to_str().unwrap().to_string(),
        ],
        vec![
            "--runner".to_string(),
            corpus(),
            "--variant".into(),
            "wait_n_sequential".into(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, xml) = run(&[&args[..], &["--format", "junit"]].concat());
        let report = quick_junit::Report::deserialize_from_str(&xml)
            .expect("quick-junit reads its XML back");
        assert_eq!(report.test_suites.len(), lesson_count());
        let (_, json) = json_of(&args, "json");
        assert_eq!(
            report.tests as u64,
            json["summary"]["passed"].as_u64().unwrap()
                + json["summary"]["failed"].as_u64().unwrap()
        );
        assert_eq!(
            report.failures as u64 + report.errors as u64,
            json["summary"]["failed"].as_u64().unwrap()
        );
        let again =
            quick_junit::Report::deserialize_from_str(&report.to_string().unwrap()).unwrap();
        assert_eq!(
            again, report,
            "serialising what was read gives the same report"
        );
    }
}

#[test]
fn classroom_scores_add_up() {
    let (code, report) = json_of(
        &["--runner", &corpus(), "--variant", "wait_n_sequential"],
        "github-classroom",
    );
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    assert_eq!(report["status"], "fail");
    let tests = report["tests"].as_array().unwrap();
    let score: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
    let passed = tests.iter().filter(|t| t["status"] == "pass").count();
    assert_eq!(score, passed as f64, "one point per case by default");
    assert!(report["max_score"].as_f64().unwrap() > score);
}

/// A private spec directory with a hidden case for wait_n, beside the public specs.
fn private_specs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("50_hidden.toml"),
        r#"
lesson = "wait_n"
title = "Hidden checks of wait_n"
file = "06_wait_n.rs"
hint = "Read lesson 6 again."
function = "wait_n"
points = 4

[[case]]
name = "twenty delays up to 3 s"
hidden = true
args = { n = 20, max_delay = 3 }
[case.expect]
len = "n"
order = "ascending"
elapsed = "max(result)"
"#,
    )
    .unwrap();
    dir
}

#[test]
fn hidden_cases_count_but_do_not_show() {
    let private = private_specs();
    let specs = root().join("specs");
    let base = [
        "--runner".to_string(),
        corpus(),
        "--variant".into(),
        "wait_n_sequential".into(),
        "--specs".into(),
        specs.to_str().unwrap().into(),
        "--specs".into(),
        private.path().to_str().unwrap().into(),
    ];
    let args: Vec<&str> = base.iter().map(String::as_str).collect();
    // The private spec adds its case to lesson wait_n.
    let (_, json) = json_of(&args, "json");
    assert_eq!(json["lessons"].as_array().unwrap().len(), lesson_count());
    let case = hidden_case(&json);
    assert_eq!(case["hidden"], true);
    assert_ne!(case["status"], "pass");
    assert_eq!(case["message"], "hidden case: its details are not shown");
    assert!(case["diagnosis"].is_null());
    assert_eq!(case["max_points"], 4.0);

    let (_, gradescope) = json_of(&args, "gradescope");
    let test = gradescope["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str().unwrap().contains("twenty delays"))
        .unwrap();
    assert_eq!(test["visibility"], "hidden");
    assert_eq!(test["max_score"], 4.0);

    let (_, classroom) = json_of(&args, "github-classroom");
    let test = classroom["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str().unwrap().contains("twenty delays"))
        .unwrap();
    assert_ne!(test["status"], "pass");
    assert_eq!(test["message"], "hidden case: its details are not shown");
    let public = classroom["max_score"].as_f64().unwrap();

    let (_, xml) = run(&[&args[..], &["--format", "junit"]].concat());
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit parses");
    let case = report
        .test_suites
        .iter()
        .flat_map(|s| &s.test_cases)
        .find(|c| c.name.as_str() == "twenty delays up to 3 s")
        .expect("the hidden case is in the JUnit report");
    let text = format!("{:?}", case.status);
    assert!(
        text.contains("hidden case: its details are not shown"),
        "{text}"
    );
    assert!(!text.contains("took"), "{text}");
    // Its points are in its lesson's suite (junit-10.xsd has no properties in a testcase).
    let suite = report
        .test_suites
        .iter()
        .find(|s| s.test_cases.iter().any(|c| std::ptr::eq(c, case)))
        .unwrap();
    assert!(
        suite
            .properties
            .iter()
            .any(|p| p.name.as_str() == "max_score: twenty delays up to 3 s"
                && p.value.as_str() == "4"),
        "{:?}",
        suite.properties
    );

    let shown: Vec<&str> = [&args[..], &["--show-hidden"]].concat();
    let (_, instructor) = json_of(&shown, "json");
    assert_ne!(
        hidden_case(&instructor)["message"],
        "hidden case: its details are not shown"
    );
    let (_, classroom) = json_of(&shown, "github-classroom");
    assert_eq!(classroom["max_score"].as_f64().unwrap(), public);

    // The human report written to a file, with only the private spec (so that the lesson
    // shown in detail is the hidden case): hidden unless --show-hidden.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    let corpus = corpus();
    let human_file = |extra: &[&str]| {
        let fixed = [
            "--runner",
            corpus.as_str(),
            "--variant",
            "wait_n_sequential",
            "--specs",
            private.path().to_str().unwrap(),
            "--format",
            "human",
            "--output",
            file.to_str().unwrap(),
        ];
        let (_, stdout) = run(&[&fixed[..], extra].concat());
        assert!(stdout.is_empty());
        std::fs::read_to_string(&file).unwrap()
    };
    let student = human_file(&[]);
    let instructor = human_file(&["--show-hidden"]);
    assert!(student.contains("hidden case"), "{student}");
    assert!(!instructor.contains("hidden case"), "{instructor}");
    assert!(instructor.contains("took"), "{instructor}");
}

fn hidden_case(report: &Value) -> Value {
    let wait_n = common::lesson_of(report, "wait_n");
    wait_n["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "twenty delays up to 3 s")
        .unwrap()
        .clone()
}

#[test]
fn output_is_stable_across_runs_except_timings() {
    let reference = runner("solutions");
    let args = ["--runner", reference.to_str().unwrap()];
    for format in ["json", "gradescope", "github-classroom"] {
        let (_, mut first) = json_of(&args, format);
        let (_, mut second) = json_of(&args, format);
        normalize(&mut first);
        normalize(&mut second);
        assert_eq!(first, second, "{format}");
        if format == "json" {
            // Deterministic lessons keep their values and times: they are compared too.
            let say_hello = &first["lessons"][0]["cases"][0]["observed"];
            assert_eq!(say_hello["elapsed"], 1.0, "{say_hello:#}");
            let wait_n = common::lesson_of(&first, "wait_n");
            assert_eq!(wait_n["cases"][0]["observed"]["value"], "<varies>");
        }
    }
    let (_, first) = run(&[&args[..], &["--format", "junit"]].concat());
    let (_, second) = run(&[&args[..], &["--format", "junit"]].concat());
    assert_eq!(normalize_xml(&first), normalize_xml(&second));
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("results.json");
    let (code, stdout) = run(&[
        "--runner",
        runner("solutions").to_str().unwrap(),
        "say_hello",
        "--format",
        "gradescope",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    let report: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(report["score"], report["extra_data"]["max_score"]);
}
