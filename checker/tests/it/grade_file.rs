//! `checker --file PATH LESSON` grades a file in place of the lesson's own, and leaves
//! `exercises/` as it was: an instructor tries a wrong version without losing the stub.

use crate::common::{checker, json_report, lesson_of, root};

const RIGHT: &str = "use std::time::Duration;\n\npub async fn say_hello() {\n    println!(\"Hello\");\n    tokio::time::sleep(Duration::from_secs(1)).await;\n    println!(\"World\");\n}\n";

/// A wrong version: no wait between the lines.
const WRONG: &str =
    "pub async fn say_hello() {\n    println!(\"Hello\");\n    println!(\"World\");\n}\n";

/// The bytes of every file of `exercises/src/`, by name.
/// Where `--file` builds in the workspace (`TARGET/file-grading/target`, see
/// `commands/grade_file.rs`), started from the tests' seed.
fn seed_file_grading() {
    crate::common::seeded(root().join("target/file-grading/target"));
}

fn exercises() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(root().join("exercises/src"))
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_file_is_graded_in_place_of_the_lessons_without_touching_exercises() {
    seed_file_grading();
    let before = exercises();
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("say_hello_no_wait.rs");
    std::fs::write(&wrong, WRONG).unwrap();
    let right = dir.path().join("say_hello.rs");
    std::fs::write(&right, RIGHT).unwrap();

    let (code, report) = json_report(&["--file", wrong.to_str().unwrap(), "say_hello"]);
    assert_eq!(code, 1, "{report:#}");
    let lesson = lesson_of(&report, "say_hello");
    assert_eq!(lesson["status"], "failing", "{lesson:#}");
    let cases = lesson["cases"].as_array().unwrap();
    assert!(
        cases.iter().any(|c| c["message"]
            .as_str()
            .unwrap_or("")
            .contains("`World` was printed at 0 s")),
        "{lesson:#}"
    );

    let (code, report) = json_report(&["--file", right.to_str().unwrap(), "1"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(lesson_of(&report, "say_hello")["status"], "done");

    // The stubs are as they were: the course's own lesson still grades as not implemented.
    assert_eq!(exercises(), before);
    let (_, report) = json_report(&["say_hello"]);
    assert_eq!(
        lesson_of(&report, "say_hello")["status"],
        "pending",
        "{report:#}"
    );
}

#[test]
fn file_needs_a_lesson_and_a_file_that_exists() {
    checker()
        .args(["--file", "nowhere.rs"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("LESSON"));
    checker()
        .args(["--file", "no/such/file.rs", "say_hello"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read no/such/file.rs"));
    checker()
        .args(["--file", "exercises/src", "say_hello"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a file"));
}

#[test]
fn timeline_draws_the_file_given_not_the_lessons_own() {
    seed_file_grading();
    let dir = tempfile::tempdir().unwrap();
    let right = dir.path().join("say_hello.rs");
    std::fs::write(&right, RIGHT).unwrap();
    let html = dir.path().join("t.html");
    let output = checker()
        .args(["timeline", "say_hello", "--width", "80", "--file"])
        .arg(&right)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    // The stub would panic at once: its call never returns. The file sleeps one second.
    assert!(
        text.contains("0–1 s"),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!text.contains("(open)"), "{text}");
    // A relative `--html` is written where the command was run, not in the copy.
    let output = checker()
        .current_dir(dir.path())
        .args([
            "timeline",
            "say_hello",
            "--html",
            "t.html",
            "--file",
            "say_hello.rs",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(html.is_file());
}
