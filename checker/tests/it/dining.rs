//! The dining philosophers (Comprehensive Rust's async exercise) as a test course's lesson:
//! its checks are written the direct way, one line each, in
//! `tests/fixtures/dining/20_dine.toml`: everyone eats `meals` times, no two neighbours eat at
//! once, each printed line is the seat returned. The spec is loaded as grading loads it, and
//! the calls of a correct and of three wrong versions are checked as grading checks them.
//! Then the lesson is added to a copy of the course as an instructor adds it (`checker new`),
//! with a real reference, and two real wrong versions are graded with `--file`.

use crate::common::{checker, copy_workspace, lesson_of, root, target_of};
use asynclings_runner::protocol::{Line, Run};
use checker::expr::{Value, Vars};
use checker::grade::checks::{Timing, call_vars, check_expectations, failed_record};
use checker::grade::rules::diagnose;
use checker::spec::{CallCase, CaseKind, Lesson};

fn fixture() -> std::path::PathBuf {
    root().join("checker/tests/fixtures/dining")
}

fn lesson() -> Lesson {
    let path = fixture().join("20_dine.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    checker::spec::load_text(&path, &text, 20).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn call(lesson: &Lesson) -> &CallCase {
    match &lesson.cases[0].kind {
        CaseKind::Call(call) => call,
        CaseKind::Source(_) => panic!("a call case"),
    }
}

/// What a call that starts the meals of `rounds` (seats eating at 1 s, 2 s, ...) shows: the
/// seats returned, and one `SEAT eats` line per meal at its time.
fn dinner(rounds: &[&[u64]]) -> (Run, Vec<Line>) {
    let mut seats = Vec::new();
    let mut lines = Vec::new();
    for (round, eating) in rounds.iter().enumerate() {
        for seat in *eating {
            seats.push(*seat);
            lines.push(Line {
                text: format!("{seat} eats"),
                at: round as f64 + 1.0,
                raw: None,
            });
        }
    }
    let run = Run {
        value: serde_json::json!(seats),
        elapsed: rounds.len() as f64 + 1.0,
        real: 0.001,
        arrivals: None,
        finished_unawaited: None,
        blocked: None,
        moved_clock: None,
    };
    (run, lines)
}

/// The failures of a call, and the diagnosis shown for it.
fn grade(lesson: &Lesson, run: &Run, lines: &[Line]) -> (Vec<String>, Option<String>) {
    let call = call(lesson);
    let mut args = Vars::new();
    for (name, value) in &call.args {
        args.set(name, Value::from_json(value));
    }
    let timing = Timing {
        tolerance: call.expect.tolerance,
        real_clock: false,
    };
    let mut vars = call_vars(&args, run, Some(lines), timing);
    let failures = check_expectations(&call.expect, &vars, run, Some(lines), timing);
    vars.set("failed", failed_record(&call.expect, &failures));
    let diagnosis = (!failures.is_empty())
        .then(|| diagnose(&call.diagnose, &vars))
        .flatten();
    (failures.into_iter().map(|f| f.message).collect(), diagnosis)
}

/// Five philosophers, two meals each, two eating at a time, never neighbours.
const CORRECT: &[&[u64]] = &[&[0, 2], &[1, 3], &[2, 4], &[0, 3], &[1, 4]];

#[test]
fn a_correct_dinner_passes_every_assertion() {
    let lesson = lesson();
    let (run, lines) = dinner(CORRECT);
    assert_eq!(grade(&lesson, &run, &lines), (vec![], None));
}

#[test]
fn neighbours_eating_at_once_fail_the_neighbours_assertion_by_name() {
    let lesson = lesson();
    // Seats 0 and 1 share fork 1, and eat together at 1 s.
    let (run, lines) = dinner(&[&[0, 1], &[2, 4], &[1, 3], &[0, 3], &[2, 4]]);
    let (failures, diagnosis) = grade(&lesson, &run, &lines);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].starts_with("assert `neighbours` fails for j = 1, k = 0: "),
        "{failures:?}"
    );
    // The values of both sides of the `or`: no time between them, and seats next to each other.
    assert!(
        failures[0].ends_with(
            "(abs(line_times[j] - line_times[k]) = 0, (parse(split(lines[j])[0]) - parse(split(lines[k])[0])) % n = 1, [1, n - 1] = [1, 4])"
        ),
        "{failures:?}"
    );
    assert!(
        diagnosis
            .as_deref()
            .is_some_and(|d| d.starts_with("two neighbours ate at once")),
        "{diagnosis:?}"
    );
}

#[test]
fn a_swap_between_philosophers_fails_the_meal_count_that_a_sum_would_pass() {
    let lesson = lesson();
    // Seat 2 eats twice more, seats 1 and 3 once less each: as many meals, and the same sum
    // of seats (a check of `len(result)` and `sum(result)` passes it).
    let (run, lines) = dinner(&[&[0, 2], &[1, 3], &[2, 4], &[0, 2], &[2, 4]]);
    let seats: Vec<f64> = checker::grade::checks::numbers_of(&run.value);
    assert_eq!((seats.len(), seats.iter().sum::<f64>()), (10, 20.0));
    let (failures, diagnosis) = grade(&lesson, &run, &lines);
    assert_eq!(
        failures,
        [
            "assert `meals` fails for s = 1: `count(l in lines, parse(split(l)[0]) == s) == meals` is false (count(l in lines, parse(split(l)[0]) == s) = 1, meals = 2)"
        ]
    );
    assert_eq!(
        diagnosis.as_deref(),
        Some(
            "not every philosopher ate 2 times although 10 meals were eaten: each philosopher eats its own meals, none for another"
        )
    );
}

#[test]
fn a_line_that_names_another_seat_than_the_one_returned_fails_printed() {
    let lesson = lesson();
    let (mut run, lines) = dinner(CORRECT);
    run.value[3] = serde_json::json!(4);
    let (failures, _) = grade(&lesson, &run, &lines);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].starts_with("assert `printed` fails for s = 4, l = \"3 eats\""),
        "{failures:?}"
    );
}

#[test]
fn validate_accepts_the_spec_and_rejects_a_type_error_at_its_place() {
    checker()
        .args(["validate", "--no-build"])
        .arg(fixture())
        .assert()
        .code(0);
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture().join("20_dine.toml")).unwrap();
    let broken = text.replace("len = \"n * meals\"", "len = \"'x' + meals\"");
    assert_ne!(broken, text);
    std::fs::write(dir.path().join("20_dine.toml"), broken).unwrap();
    let output = checker()
        .args(["validate", "--no-build"])
        .arg(dir.path())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    let line = text.lines().position(|l| l.starts_with("len = ")).unwrap() + 1;
    assert!(
        shown.contains(&format!("20_dine.toml:{line}:8")),
        "the place of 'x': {shown}"
    );
    assert!(
        shown.contains("in `len`: `+` needs a number; `'x'` is text"),
        "{shown}"
    );
}

/// Runs the checker in the course copy `ws` with `args`, building in the copies' target
/// directory; returns (exit status, JSON report).
fn json_in(ws: &std::path::Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    // Where `--file` builds (`TARGET/file-grading/target`), started from the tests' seed.
    crate::common::seeded(target_of(ws).join("file-grading/target"));
    let output = checker()
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target_of(ws))
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), report)
}

#[test]
fn the_lesson_added_to_a_course_grades_its_reference_and_names_what_wrong_versions_break() {
    let copy = copy_workspace();
    let ws = copy.path();
    let created = checker()
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target_of(ws))
        .args([
            "new",
            "dine",
            "--title",
            "Dining philosophers",
            "--signature",
            "pub async fn dine(n: usize, meals: usize) -> Vec<usize>",
        ])
        .output()
        .unwrap();
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    let number = std::fs::read_dir(ws.join("specs")).unwrap().count();
    let file = format!("{number:02}_dine");
    let spec = std::fs::read_to_string(fixture().join("20_dine.toml"))
        .unwrap()
        .replace("20_dine.rs", &format!("{file}.rs"));
    std::fs::write(ws.join(format!("specs/{file}.toml")), spec).unwrap();
    std::fs::copy(
        fixture().join("src/20_dine.rs"),
        ws.join(format!("solutions/src/{file}.rs")),
    )
    .unwrap();
    let stub_path = ws.join(format!("exercises/src/{file}.rs"));
    let stub = std::fs::read(&stub_path).unwrap();

    let (code, report) = json_in(ws, &["--solutions", "dine"]);
    let lesson = lesson_of(&report, "dine");
    assert_eq!(
        (code, &lesson["status"]),
        (Some(0), &"done".into()),
        "{lesson:#}"
    );

    // Neighbours eating at once: the assertion that failed, by name, and the diagnosis.
    let one_fork = fixture().join("src/one_fork.rs");
    let (code, report) = json_in(ws, &["--file", one_fork.to_str().unwrap(), "dine"]);
    let case = &lesson_of(&report, "dine")["cases"][0];
    assert_eq!(code, Some(1), "{case:#}");
    let message = case["message"].as_str().unwrap();
    assert!(
        message.contains("assert `neighbours` fails for j = 1, k = 0"),
        "{case:#}"
    );
    assert!(!message.contains("assert `meals`"), "{case:#}");
    assert!(
        case["diagnosis"]
            .as_str()
            .is_some_and(|d| d.starts_with("two neighbours ate at once")),
        "{case:#}"
    );

    // Everyone holding a left fork: the table never finishes, and the diagnosis says why.
    let deadlock = fixture().join("src/left_first_yield.rs");
    let (code, report) = json_in(ws, &["--file", deadlock.to_str().unwrap(), "dine"]);
    let case = &lesson_of(&report, "dine")["cases"][0];
    assert_eq!(code, Some(1), "{case:#}");
    assert!(
        case["diagnosis"]
            .as_str()
            .is_some_and(|d| d.starts_with("deadlock: every philosopher holds one fork")),
        "{case:#}"
    );
    // The verdict says what each philosopher waits for: a fork, where the forks were made.
    assert!(
        // (the lesson's file in the course copy: `NN_dine.rs`, after the course's lessons)
        case["message"]
            .as_str()
            .is_some_and(|m| m.contains("still waiting then: 5 tasks spawned at ")
                && m.contains("waiting for the Mutex created at ")
                && m.contains("_dine.rs:11)")),
        "{case:#}"
    );

    // The stub was never touched.
    assert_eq!(std::fs::read(&stub_path).unwrap(), stub);
}
