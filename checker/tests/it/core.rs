//! The core promises: the reference passes, the stubs are "not implemented yet", a lesson that
//! does not compile is reported with its compiler error, and bad input gets a clear error.

use crate::common;

use crate::common::{
    broken_copy, cases, checker, copy_workspace, json_report, lesson_count, lesson_statuses,
    report_file_in, root, runner,
};
use predicates::prelude::*;

#[test]
fn the_reference_passes_every_case() {
    let path = runner("solutions");
    let (code, report) = json_report(&["--runner", path.to_str().unwrap()]);
    let failing: Vec<_> = cases(&report)
        .into_iter()
        .filter(|c| c["status"] != "pass")
        .collect();
    assert!(failing.is_empty(), "failing cases: {failing:#?}");
    assert_eq!(code, 0);
    assert_eq!(lesson_statuses(&report).len(), lesson_count());
    assert_eq!(report["summary"]["failed"], 0);
}

#[test]
fn solutions_flag_builds_and_grades_the_reference() {
    checker()
        .arg("--solutions")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!(
            "{0}/{0} lessons done",
            lesson_count()
        )))
        .stdout(predicate::str::is_match(r"(?m)^\d+ passed, 0 failed$").unwrap());
}

#[test]
fn the_stubs_fail_every_case_as_not_implemented() {
    let path = runner("exercises");
    let (code, report) = json_report(&["--runner", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    // An empty report would pass the checks below vacuously.
    assert_eq!(lesson_statuses(&report).len(), lesson_count());
    assert!(!cases(&report).is_empty());
    for case in cases(&report) {
        assert_eq!(case["status"], "not_implemented", "{case:#}");
    }
    assert!(
        lesson_statuses(&report)
            .iter()
            .all(|(_, status)| status == "pending")
    );
}

#[test]
fn the_stub_report_names_the_first_lesson_and_its_file() {
    let path = runner("exercises");
    checker()
        .args(["--runner", path.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Next: lesson 1, say_hello"))
        .stdout(predicate::str::contains("exercises/src/01_say_hello.rs"))
        .stdout(predicate::str::contains("not implemented yet"))
        .stdout(predicate::str::contains("panicked").not())
        .stdout(predicate::str::is_match(r"(?m)^0 passed, \d+ failed$").unwrap());
}

#[test]
fn one_lesson_can_be_graded_alone() {
    let path = runner("solutions");
    let (code, report) = json_report(&["--runner", path.to_str().unwrap(), "wait_n"]);
    assert_eq!(code, 0);
    assert_eq!(
        lesson_statuses(&report),
        [("wait_n".to_string(), "done".to_string())]
    );
    let (_, by_number) = json_report(&["--runner", path.to_str().unwrap(), "6"]);
    assert_eq!(lesson_statuses(&by_number), lesson_statuses(&report));
}

#[test]
fn an_unknown_lesson_is_a_usage_error_listing_the_lessons() {
    checker()
        .args(["--runner", runner("solutions").to_str().unwrap(), "wait_m"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no lesson `wait_m`"))
        .stderr(predicate::str::contains("wait_n"));
}

#[test]
fn a_broken_spec_is_reported_with_file_and_line_and_nothing_runs() {
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string(root().join("specs/06_wait_n.toml")).unwrap();
    let line = spec
        .lines()
        .position(|l| l.starts_with("order = \"ascending\""))
        .unwrap()
        + 1;
    std::fs::write(
        dir.path().join("06_wait_n.toml"),
        spec.replace("order = \"ascending\"", "ordr = \"ascending\""),
    )
    .unwrap();
    checker()
        .args(["--runner", runner("solutions").to_str().unwrap(), "--specs"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(format!("06_wait_n.toml:{line}:1")))
        .stderr(predicate::str::contains("unknown field `ordr`"))
        .stderr(predicate::str::contains("nothing was graded"));
}

#[test]
fn a_missing_spec_directory_is_a_clear_error() {
    checker()
        .args(["--specs", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read the spec directory no/such/dir",
        ));
}

#[test]
fn the_checker_works_from_a_subdirectory() {
    checker()
        .current_dir(root().join("exercises/src"))
        .args([
            "--runner",
            runner("solutions").to_str().unwrap(),
            "say_hello",
        ])
        .assert()
        .code(0);
}

#[test]
fn a_lesson_that_does_not_compile_shows_its_compiler_error() {
    let copy = copy_workspace();
    let lesson = copy.path().join("exercises/src/06_wait_n.rs");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(
        &lesson,
        text.replace(
            "    todo!()",
            "    let broken: u32 = \"not a number\";\n    todo!()",
        ),
    )
    .unwrap();
    let target = common::target_of(copy.path());
    let output = checker()
        .current_dir(copy.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(3),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("! 6 wait_n") || stdout.contains("!  6 wait_n"),
        "{stdout}"
    );
    assert!(stdout.contains("Next: lesson 6, wait_n"), "{stdout}");
    assert!(stdout.contains("mismatched types"), "{stdout}");
    assert!(stdout.contains("06_wait_n.rs"), "{stdout}");
    // The other lessons were still graded: the stubs of lessons 1 to 5 are reported as such.
    assert!(
        stdout.contains("The other lessons were graded with a stand-in"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 say_hello") && stdout.contains("not implemented yet"),
        "{stdout}"
    );
    // The output is the compiler's error for that file, not a wall of unrelated output.
    assert!(!stdout.contains("Compiling"), "{stdout}");
}

/// Every case's text in a Gradescope report, and its top-level output.
fn gradescope_texts(text: &str) -> (Vec<String>, String) {
    let report: serde_json::Value = serde_json::from_str(text).unwrap();
    let tests = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["output"].as_str().unwrap().to_string())
        .collect();
    (tests, report["output"].as_str().unwrap().to_string())
}

#[test]
fn machine_reports_of_a_lesson_that_does_not_compile_carry_the_compiler_message() {
    let copy = broken_copy(
        "exercises/src/06_wait_n.rs",
        "    todo!()",
        "    let broken: u32 = \"not a number\";\n    todo!()",
    );
    let (code, json) = report_file_in(copy.path(), "json", &[]);
    assert_eq!(code, Some(3));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(lesson_statuses(&report).len(), lesson_count());
    let wait_n = common::lesson_of(&report, "wait_n");
    assert!(
        wait_n["compile_errors"][0]["rendered"]
            .as_str()
            .unwrap()
            .contains("mismatched types")
    );
    // Only lesson 6 is not graded; the others are, against a stub of it (here they are
    // stubs themselves: not implemented yet).
    for lesson in report["lessons"].as_array().unwrap() {
        for case in lesson["cases"].as_array().unwrap() {
            let message = case["message"].as_str().unwrap();
            if lesson["id"] == "wait_n" {
                assert_eq!(case["status"], "error", "{case:#}");
                assert!(message.contains("does not compile"), "{message}");
            } else {
                assert_ne!(case["status"], "error", "{case:#}");
                assert!(!message.contains("does not compile"), "{message}");
            }
        }
    }
    let (code, gradescope) = report_file_in(copy.path(), "gradescope", &[]);
    assert_eq!(code, Some(3));
    let (tests, _) = gradescope_texts(&gradescope);
    let (broken, others): (Vec<&String>, Vec<&String>) =
        tests.iter().partition(|t| t.contains("mismatched types"));
    assert_eq!(
        broken.len(),
        7,
        "wait_n's 7 cases carry the compiler's message: {tests:#?}"
    );
    assert!(
        others.iter().all(|t| !t.contains("does not compile")),
        "{others:#?}"
    );
}

#[test]
fn machine_reports_of_a_build_failing_outside_the_lessons_carry_the_compiler_message() {
    let copy = broken_copy(
        "exercises/src/lib.rs",
        "pub mod wait_random;",
        "pub mod wait_random;\nconst BROKEN: u32 = \"outside every lesson\";",
    );
    let (code, json) = report_file_in(copy.path(), "json", &[]);
    assert_eq!(code, Some(3));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let build_errors = report["build_errors"].as_array().unwrap();
    assert!(
        build_errors
            .iter()
            .any(|e| e.as_str().unwrap().contains("mismatched types")),
        "{report:#}"
    );
    assert_eq!(lesson_statuses(&report).len(), lesson_count());
    for case in cases(&report) {
        let message = case["message"].as_str().unwrap();
        assert!(message.contains("mismatched types"), "{message}");
        assert!(!message.contains("see the lesson that fails"), "{message}");
    }
    let (code, gradescope) = report_file_in(copy.path(), "gradescope", &[]);
    assert_eq!(code, Some(3));
    let (tests, output) = gradescope_texts(&gradescope);
    assert!(output.contains("mismatched types"), "{output}");
    assert!(
        tests.iter().all(|t| t.contains("mismatched types")),
        "{tests:#?}"
    );
}

#[test]
#[cfg(target_os = "linux")] // a shell script reading /proc stands in for the runner
fn the_runner_manifest_runs_in_the_sandbox_of_a_case() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen.txt");
    let script = dir.path().join("spy-runner");
    // A runner built from student code: on --manifest it notes what it can reach.
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --manifest ]; then\n  {{ env; echo \"cwd=$(pwd)\"; echo \"as=$(ulimit -v)\"; echo \"pgid=$(cut -d' ' -f5 /proc/$$/stat) pid=$$\"; }} > {}\n  echo '[]'\nfi\n",
            seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Without the sandbox: it would keep the script from its shell and from writing `seen`;
    // what is checked here holds with or without it (the sandbox's own tests are in hostile.rs).
    let output = checker()
        .env("ASYNCLINGS_GRADER_SECRET", "do-not-leak")
        .args([
            "--runner",
            script.to_str().unwrap(),
            "--sandbox",
            "off",
            "say_hello",
        ])
        .output()
        .unwrap();
    // The empty manifest has no lesson: a usage error, after the run we look at.
    assert_eq!(output.status.code(), Some(2));
    let seen = std::fs::read_to_string(&seen).expect("the runner ran");
    assert!(
        !seen.contains("do-not-leak"),
        "the environment leaked:\n{seen}"
    );
    let cwd = seen.lines().find_map(|l| l.strip_prefix("cwd=")).unwrap();
    assert_ne!(std::path::Path::new(cwd), root(), "{seen}");
    let as_limit = seen.lines().find_map(|l| l.strip_prefix("as=")).unwrap();
    assert_ne!(as_limit, "unlimited", "{seen}");
    let ids = seen.lines().find(|l| l.starts_with("pgid=")).unwrap();
    let (pgid, pid) = ids.split_once(' ').unwrap();
    assert_eq!(
        pgid.trim_start_matches("pgid="),
        pid.trim_start_matches("pid="),
        "{seen}"
    );
}

#[test]
#[cfg(target_os = "linux")] // a shell script stands in for the runner
fn a_runner_that_fails_before_the_lesson_runs_is_an_error_not_the_lesson_s_crash() {
    use std::os::unix::fs::PermissionsExt;
    let reference = runner("solutions");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("failing-runner");
    // The real manifest; then, for each case, what the runner says when its set-up fails, and
    // never the start line the real runner writes before any code of the lesson runs.
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --manifest ]; then exec {} --manifest; fi\necho 'asynclings runner: cannot set up: stand-in' >&2\nexit 2\n",
            reference.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (_, report) = common::json_report(&[
        "--runner",
        script.to_str().unwrap(),
        "--sandbox",
        "off",
        "say_hello",
    ]);
    // The cases that run the lesson; its source rules are read, not run.
    let ran: Vec<_> = cases(&report)
        .into_iter()
        .filter(|c| {
            !c["name"]
                .as_str()
                .unwrap_or_default()
                .starts_with("source of")
        })
        .collect();
    assert!(!ran.is_empty(), "{report:#}");
    for case in ran {
        assert_eq!(case["status"], "error", "{case:#}");
        let message = case["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("the runner could not run the case")
                && message.contains("cannot set up: stand-in"),
            "{case:#}"
        );
    }
}
