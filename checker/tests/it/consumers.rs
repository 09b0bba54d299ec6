//! Every machine report, as its strictest real consumer reads it, in five situations: the
//! reference, a failing submission, a lesson that does not compile, an interrupted run and a
//! run with hidden cases.
//!
//! - JUnit: Jenkins xUnit plugin's `junit-10.xsd` (`xmllint --schema`; xUnit skips a file that
//!   fails it), then read as Jenkins' JUnit plugin and GitLab read it (quick-junit's reader):
//!   the counts and the points in the suites' properties.
//! - Gradescope: a JSON Schema written from Gradescope's specification page.
//! - Classroom 50: its published `result-v1` schema, then the rules its collector applies that
//!   a schema cannot express (`classroom50_rules`).
//! - The JSON report and GitHub Classroom's result object: the run's seed is stated.
//!
//! The schemas and their sources are in `tests/schemas/` (README.md there).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{copy_workspace, root, runner, target_of};
use base64::Engine;
use serde_json::Value;

/// The seed every run here uses, so that each report is the same from run to run.
const SEED: &str = "23";

/// The machine formats, as `--format` names them.
const FORMATS: [&str; 5] = [
    "json",
    "junit",
    "gradescope",
    "classroom50",
    "github-classroom",
];

/// The identity Classroom 50's runner gives the autograder (and the collector expects back).
const CLASSROOM50_ENV: [(&str, &str); 6] = [
    ("CLASSROOM", "cs-async"),
    ("ASSIGNMENT", "asynclings"),
    ("ASSIGNMENT_TYPE", "individual"),
    ("OWNER", "alice"),
    ("SUBMISSION_TAG", "submit/2026-06-01T14-32-05Z-a1b2c3d"),
    (
        "COMMIT_URL",
        "https://github.com/org/cs-async-asynclings-alice/commit/a1b2c3d",
    ),
];

/// One run of the checker in `format`: (exit status, report). `dir` is the workspace (the
/// real one, or a copy built in its `target_of()`), `interrupt_after` sends SIGTERM.
fn report(
    dir: &Path,
    args: &[&str],
    format: &str,
    interrupt_after: Option<std::time::Duration>,
) -> (Option<i32>, String) {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("checker"));
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(CLASSROOM50_ENV)
        .args(args)
        .args(["--seed", SEED, "--format", format])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if dir != root() {
        command.env("CARGO_TARGET_DIR", target_of(dir));
    }
    let child = command.spawn().expect("the checker runs");
    if let Some(after) = interrupt_after {
        std::thread::sleep(after);
        interrupt(child.id());
    }
    let output = child.wait_with_output().expect("the checker ends");
    let text = String::from_utf8(output.stdout).expect("a UTF-8 report");
    assert!(
        !text.trim().is_empty(),
        "no {format} report; stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

#[cfg(unix)]
fn interrupt(pid: u32) {
    // SAFETY: kill only sends a signal, to the checker this test started.
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
}

#[cfg(not(unix))]
fn interrupt(_pid: u32) {
    panic!("the interrupted situation sends SIGTERM: Unix only");
}

/// Checks every format of one situation; `expect` is the exit status it must end with.
fn check_situation(
    name: &str,
    dir: &Path,
    args: &[&str],
    expect: i32,
    interrupt_after: Option<std::time::Duration>,
) {
    for format in FORMATS {
        let (code, text) = report(dir, args, format, interrupt_after);
        assert_eq!(code, Some(expect), "{name}, {format}:\n{text}");
        match format {
            "json" => check_json(name, &text),
            "junit" => check_junit(name, &text),
            "gradescope" => check_gradescope(name, &text),
            "classroom50" => check_classroom50(name, &text),
            "github-classroom" => check_github_classroom(name, &text),
            _ => unreachable!(),
        }
    }
}

fn check_json(name: &str, text: &str) {
    let json: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(json["seed"].to_string(), SEED, "{name}: {json:#}");
}

/// xmllint's verdict on `xml` against junit-10.xsd; panics (a failure, not a skip) when
/// xmllint is missing: `.ci/setup` installs it (libxml2-utils).
fn xsd_errors(xml: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("junit.xml");
    std::fs::write(&file, xml).unwrap();
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(root().join("checker/tests/schemas/junit-10.xsd"))
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!("xmllint does not run ({e}): install libxml2-utils (.ci/setup does)")
        });
    (!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).into_owned())
}

fn check_junit(name: &str, xml: &str) {
    if let Some(errors) = xsd_errors(xml) {
        panic!("{name}: junit-10.xsd rejects the report:\n{errors}\n{xml}");
    }
    let report = quick_junit::Report::deserialize_from_str(xml)
        .unwrap_or_else(|e| panic!("{name}: a JUnit reader cannot read it: {e}\n{xml}"));
    let cases: usize = report.test_suites.iter().map(|s| s.test_cases.len()).sum();
    assert_eq!(report.tests, cases, "{name}");
    for suite in &report.test_suites {
        let property = |key: &str| -> Option<&str> {
            suite
                .properties
                .iter()
                .find(|p| p.name.as_str() == key)
                .map(|p| p.value.as_str())
        };
        assert_eq!(property("seed"), Some(SEED), "{name}: {xml}");
        // Each case's points are in its suite, and they add up to the suite's.
        let points = |prefix: &str| -> f64 {
            suite
                .test_cases
                .iter()
                .map(|case| {
                    let key = format!("{prefix}: {}", case.name.as_str());
                    property(&key)
                        .unwrap_or_else(|| panic!("{name}: no property `{key}`"))
                        .parse::<f64>()
                        .unwrap()
                })
                .sum()
        };
        let score: f64 = property("score").unwrap().parse().unwrap();
        let max_score: f64 = property("max_score").unwrap().parse().unwrap();
        assert!((points("score") - score).abs() < 1e-6, "{name}: {xml}");
        assert!(
            (points("max_score") - max_score).abs() < 1e-6,
            "{name}: {xml}"
        );
    }
}

fn json_schema(file: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("checker/tests/schemas").join(file)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("a valid schema")
}

/// Fails with every error of `instance` against `validator`.
fn assert_schema(validator: &jsonschema::Validator, name: &str, instance: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{instance:#}");
}

fn check_gradescope(name: &str, text: &str) {
    let json: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_schema(&json_schema("gradescope-results.schema.json"), name, &json);
    assert_eq!(json["extra_data"]["seed"].to_string(), SEED, "{name}");
    assert!(
        json["output"]
            .as_str()
            .unwrap()
            .contains(&format!("--seed {SEED}")),
        "{name}: {json:#}"
    );
}

fn check_classroom50(name: &str, text: &str) {
    let json: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_schema(
        &json_schema("classroom50-result-v1.schema.json"),
        name,
        &json,
    );
    if let Err(why) = classroom50_rules(&json, "cs-async", "asynclings", "alice", false) {
        panic!("{name}: Classroom 50's collector rejects it: {why}\n{json:#}");
    }
    for test in json["tests"].as_array().unwrap() {
        assert_eq!(test["seed"].to_string(), SEED, "{name}");
    }
}

/// The checks Classroom 50's collector makes of a `result.json` beyond its schema
/// (`validate_result` in `collect_scores.py` of foundation50/classroom50; tests/schemas/README.md):
/// the identity is the repository's, the submission a `submit/` tag, the links and date
/// present, and every score a whole number from 0 to its maximum.
fn classroom50_rules(
    result: &Value,
    classroom: &str,
    assignment: &str,
    owner: &str,
    group: bool,
) -> Result<(), String> {
    let field = |key: &str| result.get(key).and_then(Value::as_str);
    if field("schema") != Some("classroom50/result/v1") {
        return Err("schema is not classroom50/result/v1".into());
    }
    if field("classroom") != Some(classroom) || field("assignment") != Some(assignment) {
        return Err("classroom or assignment is not the repository's".into());
    }
    if field("owner").map(str::to_lowercase) != Some(owner.to_lowercase()) {
        return Err(format!("owner is not {owner}"));
    }
    let kind = if group { "group" } else { "individual" };
    if field("assignment_type") != Some(kind) {
        return Err(format!("assignment_type is not {kind}"));
    }
    if !field("submission").is_some_and(|s| s.starts_with("submit/")) {
        return Err("submission is not a submit/ tag".into());
    }
    for key in ["submission", "commit", "release", "review", "datetime"] {
        if field(key).is_none_or(str::is_empty) {
            return Err(format!("{key} is not a non-empty string"));
        }
    }
    let whole = |value: &Value, what: &str| {
        value
            .as_u64()
            .ok_or_else(|| format!("{what} is not a whole number from 0"))
    };
    if whole(&result["score"], "score")? > whole(&result["max-score"], "max-score")? {
        return Err("score is above max-score".into());
    }
    let tests = result["tests"].as_array().ok_or("tests is not a list")?;
    for (i, test) in tests.iter().enumerate() {
        if test["test-name"].as_str().is_none_or(str::is_empty) {
            return Err(format!("tests[{i}].test-name is not a non-empty string"));
        }
        if !test["passed"].is_boolean() {
            return Err(format!("tests[{i}].passed is not a boolean"));
        }
        if whole(&test["score"], "a test's score")? > whole(&test["max-score"], "its max-score")? {
            return Err(format!("tests[{i}].score is above its max-score"));
        }
    }
    Ok(())
}

fn check_github_classroom(name: &str, text: &str) {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap_or_else(|e| panic!("{name}: not base64: {e}"));
    let json: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(json["version"], 1, "{name}");
    assert_eq!(json["seed"].to_string(), SEED, "{name}");
}

#[test]
fn the_rules_catch_what_the_collector_rejects() {
    // The checks are not a formality: each rule fails a result that breaks it.
    let good = serde_json::json!({
        "schema": "classroom50/result/v1", "classroom": "c", "assignment": "a",
        "assignment_type": "individual", "owner": "Alice", "submission": "submit/x",
        "commit": "u", "release": "u", "review": "u", "datetime": "2026-06-01T14:32:01Z",
        "score": 1, "max-score": 2,
        "tests": [{"test-name": "t", "passed": true, "score": 1, "max-score": 1}]
    });
    assert_eq!(classroom50_rules(&good, "c", "a", "alice", false), Ok(()));
    assert!(classroom50_rules(&good, "c", "a", "bob", false).is_err());
    assert!(classroom50_rules(&good, "c", "a", "alice", true).is_err());
    let mut over = good.clone();
    over["score"] = serde_json::json!(3);
    assert!(classroom50_rules(&over, "c", "a", "alice", false).is_err());
    let mut test_over = good.clone();
    test_over["tests"][0]["score"] = serde_json::json!(2);
    assert!(classroom50_rules(&test_over, "c", "a", "alice", false).is_err());
    let mut untagged = good;
    untagged["submission"] = serde_json::json!("main");
    assert!(classroom50_rules(&untagged, "c", "a", "alice", false).is_err());
}

#[test]
fn the_schemas_reject_what_their_consumers_reject() {
    // The JUnit a quick-junit writer gives (the checker's before): xUnit's schema refuses it.
    let mut report = quick_junit::Report::new("r");
    let mut suite = quick_junit::TestSuite::new("s");
    let mut case = quick_junit::TestCase::new("c", quick_junit::TestCaseStatus::success());
    case.add_property(quick_junit::Property::new("score", "1"));
    suite.add_test_case(case);
    report.add_test_suite(suite);
    let errors = xsd_errors(&report.to_string().unwrap()).expect("junit-10.xsd rejects it");
    assert!(errors.contains("properties"), "{errors}");
    // Gradescope: a visibility it does not know, a score as text, a field it does not list.
    let validator = json_schema("gradescope-results.schema.json");
    for bad in [
        serde_json::json!({"score": 1, "visibility": "students"}),
        serde_json::json!({"tests": [{"score": "1"}]}),
        serde_json::json!({"score": 1, "tests": [{"score": 1, "status": "pass"}]}),
        serde_json::json!({"score": 1, "output_format": "rtf"}),
        serde_json::json!({"score": 1, "seed": 4}),
        serde_json::json!({"output": "no score anywhere"}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
    assert!(validator.is_valid(&serde_json::json!({"tests": [{"score": 1, "status": "passed"}]})));
}

fn corpus() -> String {
    runner("corpus").to_str().unwrap().to_string()
}

#[test]
fn reports_of_the_reference() {
    let reference = runner("solutions");
    check_situation(
        "reference",
        &root(),
        &["--runner", reference.to_str().unwrap()],
        0,
        None,
    );
}

#[test]
fn reports_of_a_failing_submission() {
    let corpus = corpus();
    let args = ["--runner", &corpus, "--variant", "wait_n_sequential"];
    check_situation("failing", &root(), &args, 1, None);
}

#[test]
fn reports_of_a_lesson_that_does_not_compile() {
    let copy = copy_workspace();
    for lesson in std::fs::read_dir(root().join("solutions/src")).unwrap() {
        let path = lesson.unwrap().path();
        std::fs::copy(
            &path,
            copy.path()
                .join("exercises/src")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    std::fs::copy(
        root().join("corpus/compile/wait_n_half_written.rs"),
        copy.path().join("exercises/src/06_wait_n.rs"),
    )
    .unwrap();
    // The lessons that compile are graded; wait_n and those built on it are not: exit 3.
    check_situation("does not compile", copy.path(), &[], 3, None);
}

#[cfg(unix)]
#[test]
fn reports_of_an_interrupted_run() {
    // say_hello sleeps an hour on its thread, cases run one at a time: SIGTERM comes while
    // it runs, and every case is in the report, those not run as errors (exit 130).
    let corpus = corpus();
    let args = [
        "--runner",
        &corpus,
        "--variant",
        "thread_sleep_hour",
        "-j",
        "1",
    ];
    check_situation(
        "interrupted",
        &root(),
        &args,
        130,
        Some(std::time::Duration::from_millis(1500)),
    );
}

#[test]
fn reports_with_hidden_cases() {
    let private = tempfile::tempdir().unwrap();
    std::fs::write(
        private.path().join("50_hidden.toml"),
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
    let corpus = corpus();
    let specs = root().join("specs");
    let args = [
        "--runner",
        &corpus,
        "--variant",
        "wait_n_sequential",
        "--specs",
        specs.to_str().unwrap(),
        "--specs",
        private.path().to_str().unwrap(),
    ];
    check_situation("hidden cases", &root(), &args, 1, None);
    // And the hidden case is in every report without its details.
    let (_, xml) = report(&root(), &args, "junit", None);
    assert!(xml.contains("twenty delays up to 3 s"), "{xml}");
    assert!(
        xml.contains("hidden case: its details are not shown"),
        "{xml}"
    );
}
