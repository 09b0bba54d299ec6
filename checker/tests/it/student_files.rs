//! Progress is never lost: whatever the student runs (the report, one lesson, the list, a hint,
//! the real clock, a JSON report, watch mode), every file under `exercises/` is left
//! byte-identical, and a report is never written over a lesson file.

use crate::common::{checker, root};
use crate::student::files_under;
use predicates::prelude::*;

#[test]
fn every_command_leaves_every_exercise_file_byte_identical() {
    let exercises = root().join("exercises");
    let before = files_under(&exercises);
    assert!(
        before.len() > 12,
        "the lessons are there: {:?}",
        before.keys()
    );
    let scratch = tempfile::tempdir().unwrap();

    checker().assert().code(1);
    checker().arg("say_hello").assert().code(1);
    checker().arg("list").assert().code(1);
    checker().args(["hint", "wait_n"]).assert().code(0);
    checker()
        .args(["--clock", "real", "say_hello"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("on the real clock"));
    checker()
        .args(["--format", "json", "--output"])
        .arg(scratch.path().join("report.json"))
        .assert()
        .code(1);
    // Watch mode with commands on stdin: hint, list, check again, quit.
    checker()
        .arg("watch")
        .write_stdin("h\nl\n\nq\n")
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("run `checker watch --manual`"))
        .stdout(predicate::str::contains("Hint:"))
        .stdout(predicate::str::contains("12 measure_runtime"))
        .stdout(predicate::str::contains("Stopped watching"));

    let after = files_under(&exercises);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "files were added or removed under exercises/"
    );
    for (path, bytes) in &after {
        assert!(
            before[path] == *bytes,
            "exercises/{} changed",
            path.display()
        );
    }
}

#[test]
fn a_report_is_never_written_over_a_lesson_file() {
    let lesson = root().join("exercises/src/01_say_hello.rs");
    let before = std::fs::read(&lesson).unwrap();
    for output in [
        "exercises/src/01_say_hello.rs",
        "exercises/src/../src/01_say_hello.rs",
        "exercises/report.txt",
    ] {
        checker()
            .args(["say_hello", "--output", output])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("where your work is"));
    }
    assert!(std::fs::read(&lesson).unwrap() == before);
    assert!(!root().join("exercises/report.txt").exists());
}

#[test]
fn manual_watch_mode_checks_on_enter_and_watch_takes_no_machine_format() {
    checker()
        .args(["watch", "--manual"])
        .write_stdin("q\n")
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("each time you press Enter"))
        .stdout(predicate::str::contains("then press Enter to check"));
    checker()
        .args(["watch", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("takes no --format"));
}
