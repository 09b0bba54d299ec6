//! The instructor's tools: `checker validate` reports every problem of the specs at once,
//! `checker verify` checks the whole course, and `checker new` scaffolds a lesson that
//! builds and verifies straight away, except for the reference body to write.

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::{checker, copy_workspace, root, runner};
use predicates::prelude::*;

/// A target directory of its own for builds of a copy, so that the copy's packages never
/// overwrite the real ones (and later runs reuse its dependencies).
fn scaffold_target() -> PathBuf {
    common::seeded(root().join("target/scaffold-test"))
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_course_specs_validate_against_the_reference() {
    let path = runner("solutions");
    checker()
        .args(["validate", "--runner", path.to_str().unwrap()])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "no problems (checked against the reference's functions)",
        ));
}

const BROKEN: &str = r#"lesson = "wait_n"
title = "t"
file = "06_wait_n.rs"
function = "wait_n"
hint = "h"

[[case]]
name = "five"
args = { n = 5, max_dealy = 5 }
repeat = 0
[case.expect]
each = "0 ..= max_delay"
ordr = "ascending"
elapsed = "max(result"

[[case]]
name = "five"
function = "wait_m"
args = { n = 1, max_delay = 1 }

[[diagnose]]
when = "elapsed ~ sum(reslt)"
says = "took {elapsd} s"
"#;

#[test]
fn validate_reports_every_problem_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("06_wait_n.toml"), BROKEN).unwrap();
    std::fs::write(
        dir.path().join("07_other.toml"),
        "lesson = \"no_such_lesson\"\ntitle = \"t\"\nfile = \"x.rs\"\nhint = [1\n",
    )
    .unwrap();
    let path = runner("solutions");
    let output = checker()
        .args(["validate", "--runner", path.to_str().unwrap()])
        .arg(dir.path())
        .output()
        .unwrap();
    let shown = stdout_of(&output);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    // One problem per line of this list, each at its own line and column.
    let expected = [
        ("06_wait_n.toml:9:8", "does not give `max_delay`"),
        ("06_wait_n.toml:9:17", "has no argument `max_dealy`"),
        ("06_wait_n.toml:12:15", "unknown name `max_delay`"),
        ("06_wait_n.toml:13:1", "unknown field `ordr`"),
        ("06_wait_n.toml:14:22", "in `elapsed`"),
        ("06_wait_n.toml:8:8", "`repeat` must be at least 1"),
        ("06_wait_n.toml:17:8", "a second case named `five`"),
        ("06_wait_n.toml:18:12", "has no function `wait_m`"),
        ("06_wait_n.toml:22:23", "unknown name `reslt`"),
        ("06_wait_n.toml:23:15", "unknown name `elapsd`"),
        ("07_other.toml:4", ""),
    ];
    for (place, message) in expected {
        let found = shown
            .split("\n\n")
            .any(|problem| problem.contains(place) && problem.contains(message));
        assert!(
            found,
            "no problem at {place} saying {message:?} in:\n{shown}"
        );
    }
    assert!(
        shown.contains("11 problem(s) in 2 of 2 spec file(s)"),
        "{shown}"
    );
    // The snippet and its underline.
    assert!(shown.contains("13 | ordr = \"ascending\""), "{shown}");
    assert!(shown.contains("   | ^^^^"), "{shown}");
}

#[test]
fn validate_refuses_a_shutdown_time_for_a_server_with_nothing_to_stop() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "lesson = \"line_server\"\ntitle = \"t\"\nfile = \"20_line_server.rs\"\nhint = \"h\"\nfunction = \"serve_lines\"\n[[case]]\nname = \"c\"\nargs = { delay = 1.0 }\nshutdown = \"1s\"\n[[case.peer]]\nname = \"ann\"\n";
    std::fs::write(dir.path().join("20_line_server.toml"), spec).unwrap();
    let path = runner("solutions");
    let output = checker()
        .args(["validate", "--runner", path.to_str().unwrap()])
        .arg(dir.path())
        .output()
        .unwrap();
    let shown = stdout_of(&output);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("20_line_server.toml:9:12")
            && shown.contains("`serve_lines` takes no `CancellationToken`"),
        "{shown}"
    );
}

#[test]
fn validate_without_a_build_checks_only_the_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("06_wait_n.toml"), BROKEN).unwrap();
    let output = checker()
        .args(["validate", "--no-build"])
        .arg(dir.path())
        .output()
        .unwrap();
    let shown = stdout_of(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(shown.contains("unknown field `ordr`"), "{shown}");
    assert!(!shown.contains("wait_m"), "{shown}");
    assert!(shown.contains("(--no-build)"), "{shown}");
}

#[test]
fn verify_passes_on_the_course() {
    // The corpus's part of verify (a warning for a mistake that passes its lesson) is not run:
    // tests/corpus.rs checks more of every mistake (it fails its lesson, with the headline its
    // header promises), and verify_warns_about_a_corpus_mistake_... tests the warning.
    checker()
        .args(["verify", "--no-corpus"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("The course is consistent."))
        .stdout(predicate::str::contains("FAIL").not());
}

/// Runs the checker in the copy, building into the scaffold target directory.
fn in_copy(copy: &Path, args: &[&str]) -> std::process::Output {
    checker()
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", scaffold_target())
        .args(args)
        .output()
        .unwrap()
}

/// The problem lines of verify's list.
fn problems(shown: &str) -> Vec<&str> {
    shown
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("- "))
        .collect()
}

#[test]
fn a_new_lesson_builds_and_verifies_except_for_its_reference() {
    let copy = copy_workspace();
    let ws = copy.path();
    let before: Vec<String> = ["exercises/src/lib.rs", "runner/src/course.rs"]
        .iter()
        .map(|f| std::fs::read_to_string(ws.join(f)).unwrap())
        .collect();

    let created = in_copy(ws, &["new", "wait_twice", "--title", "Wait twice"]);
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    let number = std::fs::read_dir(ws.join("specs")).unwrap().count();
    let file = format!("{number:02}_wait_twice");
    for path in [
        format!("exercises/src/{file}.rs"),
        format!("solutions/src/{file}.rs"),
        format!("specs/{file}.toml"),
    ] {
        assert!(ws.join(&path).is_file(), "{path} was not created");
    }
    let stub = std::fs::read_to_string(ws.join(format!("exercises/src/{file}.rs"))).unwrap();
    assert!(stub.contains("## What to write"));
    assert!(stub.contains("pub async fn wait_twice(n: u64) -> u64"));

    // Everything it wrote is formatted as `cargo fmt` would.
    let formatted = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args([
            "runner/src/course.rs",
            "exercises/src/lib.rs",
            "solutions/src/lib.rs",
        ])
        .arg(format!("exercises/src/{file}.rs"))
        .arg(format!("solutions/src/{file}.rs"))
        .current_dir(ws)
        .output();
    if let Ok(formatted) = formatted {
        assert!(formatted.status.success(), "{formatted:?}");
    }

    // verify says exactly one thing: the reference is to be written.
    let verified = in_copy(ws, &["verify", "--no-corpus"]);
    let shown = stdout_of(&verified);
    assert_eq!(verified.status.code(), Some(1), "{shown}\n{verified:?}");
    assert_eq!(
        problems(&shown),
        [format!(
            "lesson wait_twice: the reference solution is not written yet: replace the todo!() in solutions/src/{file}.rs"
        )],
        "{shown}"
    );

    // It never overwrites: a second `new` of the same lesson changes nothing.
    let snapshot = |ws: &Path| {
        ["exercises/src/lib.rs", "runner/src/course.rs"]
            .map(|f| std::fs::read_to_string(ws.join(f)).unwrap())
    };
    let after_new = snapshot(ws);
    assert_ne!(after_new.to_vec(), before);
    let again = in_copy(ws, &["new", "wait_twice"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(snapshot(ws), after_new);

    // With the reference written and a real expectation, verify finds what else is wrong:
    // instructions without their section, and a key the reference does not document.
    std::fs::write(
        ws.join(format!("solutions/src/{file}.rs")),
        "//! Reference.\n\n/// Doubles.\npub async fn wait_twice(n: u64) -> u64 {\n    n * 2\n}\n",
    )
    .unwrap();
    let spec_path = ws.join(format!("specs/{file}.toml"));
    let spec = std::fs::read_to_string(&spec_path).unwrap();
    std::fs::write(&spec_path, spec.replace("# returns = 1", "returns = 2")).unwrap();
    let stub_path = ws.join(format!("exercises/src/{file}.rs"));
    std::fs::write(&stub_path, stub.replace("//! ## What to write\n", "")).unwrap();
    let docs_path = ws.join("docs/specs.md");
    let docs = std::fs::read_to_string(&docs_path).unwrap();
    let docs: String = docs
        .lines()
        .filter(|l| !l.starts_with("| `returns`"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&docs_path, docs).unwrap();
    let verified = in_copy(ws, &["verify", "--no-corpus"]);
    let shown = stdout_of(&verified);
    assert_eq!(verified.status.code(), Some(1), "{shown}");
    let listed = problems(&shown);
    assert!(listed.len() >= 2, "{shown}");
    assert!(
        listed[0].contains("have no `## What to write` section"),
        "{shown}"
    );
    assert!(
        listed[1..]
            .iter()
            .all(|p| p.contains("`returns` is not documented")),
        "{shown}"
    );
    assert!(
        listed
            .iter()
            .any(|p| p.contains(&format!("specs/{file}.toml"))),
        "{shown}"
    );
    assert!(
        shown.contains("ok   the reference solutions pass every case"),
        "{shown}"
    );
}

#[test]
fn new_refuses_bad_names_and_writes_nothing() {
    let copy = copy_workspace();
    let ws = copy.path();
    std::fs::write(ws.join("exercises/src/99_taken.rs"), "").unwrap();
    for (name, says) in [
        ("Wait-Twice", "not a lesson id"),
        ("async", "keyword"),
        ("wait_n", "already exists"),
        ("taken", "already exists"),
    ] {
        let output = in_copy(ws, &["new", name]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{name}: {stderr}");
    }
    let specs = std::fs::read_dir(ws.join("specs")).unwrap().count();
    assert_eq!(
        specs,
        std::fs::read_dir(root().join("specs")).unwrap().count()
    );
    assert_eq!(
        std::fs::read_to_string(ws.join("runner/src/course.rs")).unwrap(),
        std::fs::read_to_string(root().join("runner/src/course.rs")).unwrap()
    );
}

/// A private spec of lesson wait_n, beside the public one, as docs/results.md recommends for
/// hidden cases; `case` is the name of its one case.
fn private_wait_n(case: &str) -> String {
    format!(
        r#"lesson = "wait_n"
title = "Many waits at once (hidden cases)"
file = "06_wait_n.rs"
function = "wait_n"
hint = "h"

[[case]]
name = "{case}"
args = {{ n = 3, max_delay = 2 }}
hidden = true
[case.expect]
len = "n"
each = "0 ..= max_delay"
order = "ascending"
elapsed = "max(result)"
"#
    )
}

#[test]
fn validate_and_verify_accept_a_lesson_spread_over_two_spec_directories() {
    let private = tempfile::tempdir().unwrap();
    std::fs::write(
        private.path().join("06_wait_n.toml"),
        private_wait_n("three delays up to 2 s"),
    )
    .unwrap();
    let path = runner("solutions");
    let specs = root().join("specs");
    let output = checker()
        .args(["validate", "--runner", path.to_str().unwrap()])
        .arg(&specs)
        .arg(private.path())
        .output()
        .unwrap();
    let shown = stdout_of(&output);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(shown.contains("no problems"), "{shown}");
    // verify grades with both, merged as grading merges them: the reference passes the hidden
    // case too, the stubs fail it, and the lesson counts once.
    let output = checker()
        .args(["verify", "--no-corpus", "--specs"])
        .arg(&specs)
        .arg("--specs")
        .arg(private.path())
        .output()
        .unwrap();
    let shown = stdout_of(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{shown}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(shown.contains("The course is consistent."), "{shown}");
    assert!(
        shown.contains(&format!("({} lessons,", common::lesson_count())),
        "{shown}"
    );
}

#[test]
fn a_case_name_used_in_two_spec_directories_is_reported_at_both_places() {
    let public_name = "ten delays up to 10 s";
    let public_text = std::fs::read_to_string(root().join("specs/06_wait_n.toml")).unwrap();
    let public_line = public_text
        .lines()
        .position(|l| l.contains(&format!("name = \"{public_name}\"")))
        .expect("the public spec has the case")
        + 1;
    let private = tempfile::tempdir().unwrap();
    std::fs::write(
        private.path().join("06_wait_n.toml"),
        private_wait_n(public_name),
    )
    .unwrap();
    let specs = root().join("specs");
    let output = checker()
        .args(["validate", "--no-build"])
        .arg(&specs)
        .arg(private.path())
        .output()
        .unwrap();
    let shown = stdout_of(&output);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    let problems: Vec<&str> = shown
        .split("\n\n")
        .filter(|p| p.contains("error"))
        .collect();
    assert_eq!(problems.len(), 1, "{shown}");
    // At the private case's name (line 8, column 8), naming the public one's place.
    assert!(problems[0].contains("06_wait_n.toml:8:8"), "{shown}");
    assert!(
        problems[0].contains(&format!("specs/06_wait_n.toml:{public_line}:8")),
        "{shown}"
    );
    assert!(
        problems[0].contains(&format!("a case named `{public_name}`")),
        "{shown}"
    );
    // verify refuses it too, before running anything.
    let output = checker()
        .args(["verify", "--specs"])
        .arg(&specs)
        .arg("--specs")
        .arg(private.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stdout_of(&output));
    assert!(
        stdout_of(&output).contains(&format!("a case named `{public_name}`")),
        "{}",
        stdout_of(&output)
    );
}

#[test]
fn a_lesson_specified_twice_in_one_directory_is_still_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("06_wait_n.toml"), private_wait_n("a")).unwrap();
    std::fs::write(dir.path().join("07_again.toml"), private_wait_n("b")).unwrap();
    let output = checker()
        .args(["validate", "--no-build"])
        .arg(dir.path())
        .output()
        .unwrap();
    let shown = stdout_of(&output);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("07_again.toml:1:10") && shown.contains("is already specified in"),
        "{shown}"
    );
}

#[test]
fn validate_and_verify_exit_3_when_the_reference_does_not_build() {
    let copy = copy_workspace();
    let ws = copy.path();
    let lesson = ws.join("solutions/src/06_wait_n.rs");
    let mut text = std::fs::read_to_string(&lesson).unwrap();
    text.push_str("\nfn broken() -> u32 { \"not a number\" }\n");
    std::fs::write(&lesson, text).unwrap();
    for command in ["validate", "verify"] {
        // Not the scaffold test's target directory: that test builds its own copy's solutions
        // at the same time, in this same test binary.
        let output = checker()
            .current_dir(ws)
            .env("CARGO_TARGET_DIR", common::target_of(ws))
            .arg(command)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(3),
            "{command}: {}{stderr}",
            stdout_of(&output)
        );
        assert!(stderr.contains("mismatched types"), "{command}: {stderr}");
        assert!(
            stderr.contains("the reference solutions do not build"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn verify_warns_about_a_corpus_mistake_that_passes_every_case_of_its_lesson() {
    // `corpus_warnings` runs cases in this process, and the checker's supervisor reaps every
    // child of its process that is not one of its cases: the `checker` commands other tests
    // of this binary are waiting for among them. So the test body runs in a process of its
    // own.
    if !common::alone(
        "instructor::verify_warns_about_a_corpus_mistake_that_passes_every_case_of_its_lesson",
    ) {
        return;
    }
    // A spec of wait_n that checks only the number of values: the off-by-one mistake fails
    // it, the sequential one (right values, wrong time) passes it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("06_wait_n.toml"),
        "lesson = \"wait_n\"\ntitle = \"t\"\nfile = \"06_wait_n.rs\"\nfunction = \"wait_n\"\nhint = \"h\"\n\n\
         [[case]]\nname = \"five\"\nargs = { n = 5, max_delay = 5 }\nexpect = { len = \"n\" }\n",
    )
    .unwrap();
    let args = checker::commands::verify::VerifyArgs {
        specs: vec![dir.path().to_path_buf()],
        jobs: None,
        color: checker::report::style::ColorChoice::Never,
        no_corpus: false,
    };
    let warnings = checker::commands::verify::corpus_warnings(&root(), &args).unwrap();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "corpus mistake wait_n_sequential (awaits each wait_random before starting the next, so the waits add up) passes every case of lesson wait_n"
        )),
        "{warnings:#?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("wait_n_off_by_one")),
        "{warnings:#?}"
    );
    // Only wait_n is specified: the other lessons' mistakes are not graded, not warned about.
    assert!(
        warnings.iter().all(|w| w.contains("lesson wait_n")),
        "{warnings:#?}"
    );
}
