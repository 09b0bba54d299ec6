//! Bad input to the checker itself: each is a clear error (where, and what) with its exit
//! status (2 for usage and spec problems, nothing graded; 4 for a report that cannot be
//! written).

use std::path::Path;

use crate::common::{checker, root, runner};

/// Runs the checker with `args` from `cwd`; returns (exit status, stdout, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = checker()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("checker runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The reference's runner, as an argument.
fn solutions() -> String {
    runner("solutions").display().to_string()
}

/// Asserts a usage error: status 2, and stderr holding every one of `phrases`.
fn assert_usage_error(result: (Option<i32>, String, String), phrases: &[&str]) {
    let (code, stdout, stderr) = result;
    assert_eq!(code, Some(2), "stdout:\n{stdout}\nstderr:\n{stderr}");
    for phrase in phrases {
        assert!(
            stderr.contains(phrase),
            "stderr does not say {phrase:?}:\n{stderr}"
        );
    }
    assert!(
        !stdout.contains("passed"),
        "something was graded:\n{stdout}"
    );
}

#[test]
fn a_missing_spec_directory_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let missing = missing.to_str().expect("utf-8 path");
    assert_usage_error(
        run_in(&root(), &["--runner", &solutions(), "--specs", missing]),
        &["cannot read the spec directory", missing],
    );
}

#[test]
fn a_course_workspace_without_specs_says_so() {
    // A copy of the course's shape, without specs/: the checker must not grade another
    // workspace (the one it was built in) instead.
    let course = tempfile::tempdir().expect("tempdir");
    std::fs::write(course.path().join("Cargo.toml"), "[workspace]\n").expect("Cargo.toml");
    std::fs::create_dir_all(course.path().join("checker")).expect("checker/");
    std::fs::create_dir_all(course.path().join("exercises/src")).expect("exercises/");
    let shown = course.path().display().to_string();
    assert_usage_error(
        run_in(&course.path().join("exercises/src"), &["--solutions"]),
        &["has no specs/ folder", &shown],
    );
}

#[test]
fn an_empty_spec_file_is_an_error_at_its_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("01_empty.toml"), "").expect("empty spec");
    let specs = dir.path().to_str().expect("utf-8 path");
    assert_usage_error(
        run_in(&root(), &["--runner", &solutions(), "--specs", specs]),
        &["01_empty.toml:1", "`lesson`", "nothing was graded"],
    );
}

#[test]
fn a_spec_for_a_lesson_the_implementation_lacks_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = std::fs::read_to_string(root().join("specs/01_say_hello.toml")).expect("spec");
    let spec = spec.replace("lesson = \"say_hello\"", "lesson = \"say_goodbye\"");
    std::fs::write(dir.path().join("01_say_goodbye.toml"), spec).expect("spec");
    let specs = dir.path().to_str().expect("utf-8 path");
    assert_usage_error(
        run_in(&root(), &["--runner", &solutions(), "--specs", specs]),
        &[
            "01_say_goodbye.toml",
            "lesson `say_goodbye` is not in the implementation under test",
            "say_hello, greet",
            "nothing was graded",
        ],
    );
}

#[test]
#[cfg(unix)] // file modes and root's rights are Unix's
fn an_unreadable_spec_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("01_say_hello.toml");
    // SAFETY: geteuid has no preconditions.
    let root_user = unsafe { libc::geteuid() } == 0;
    let why = if root_user {
        // Root reads a file whatever its mode, so chmod 000 proves nothing here: a folder where
        // the file should be is unreadable as a file for everyone.
        std::fs::create_dir(&path).expect("a folder in the file's place");
        "Is a directory"
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::copy(root().join("specs/01_say_hello.toml"), &path).expect("spec");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        "Permission denied"
    };
    let specs = dir.path().to_str().expect("utf-8 path");
    let shown = path.display().to_string();
    assert_usage_error(
        run_in(&root(), &["--runner", &solutions(), "--specs", specs]),
        &["cannot read", why, &shown],
    );
}

#[test]
fn a_relative_spec_path_is_read_from_the_current_directory() {
    let subdirectory = root().join("checker");
    // `specs` from checker/ is checker/specs, which does not exist: the error says where it looked.
    let looked_in = subdirectory.join("specs").display().to_string();
    assert_usage_error(
        run_in(
            &subdirectory,
            &["--runner", &solutions(), "--specs", "specs"],
        ),
        &["cannot read the spec directory specs", &looked_in],
    );
    // `../specs` from checker/ is the course's: it grades.
    let (code, stdout, stderr) = run_in(
        &subdirectory,
        &["--runner", &solutions(), "--specs", "../specs", "say_hello"],
    );
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
}

#[test]
fn help_lists_every_exit_status() {
    let output = checker().arg("--help").output().expect("checker runs");
    let help = String::from_utf8_lossy(&output.stdout);
    for (status, meaning) in [
        (0, "every case passes"),
        (1, "some case fails"),
        (2, "usage error"),
        (3, "does not build"),
        (4, "cannot be written"),
        (5, "--sandbox required"),
        (130, "interrupted"),
    ] {
        assert!(
            help.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with(&format!("{status} ")) && l.contains(meaning)
            }),
            "--help does not say {status} {meaning:?}:\n{help}"
        );
    }
}

#[test]
fn a_report_that_cannot_be_written_exits_with_the_io_status_naming_the_file() {
    let missing = tempfile::tempdir().expect("tempdir");
    let path = missing.path().join("no-such-folder/report.json");
    let (code, _, stderr) = run_in(
        &root(),
        &[
            "--runner",
            &solutions(),
            "say_hello",
            "--format",
            "json",
            "--output",
            path.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(code, Some(4), "stderr:\n{stderr}");
    assert!(
        stderr.contains("cannot write the report to") && stderr.contains("no-such-folder"),
        "{stderr}"
    );
}

#[test]
fn a_case_name_repeated_in_a_second_spec_directory_is_refused_with_both_places() {
    // A private directory that repeats a public case: grading would show two results under
    // one name, so it refuses, as `checker validate` does.
    let private = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        root().join("specs/01_say_hello.toml"),
        private.path().join("hidden.toml"),
    )
    .expect("copy a spec");
    let private = private.path().to_str().expect("utf-8 path");
    assert_usage_error(
        run_in(
            &root(),
            &[
                "--runner",
                &solutions(),
                "--specs",
                "specs",
                "--specs",
                private,
            ],
        ),
        &[
            "already has a case named",
            "hidden.toml",
            "01_say_hello.toml",
            "nothing was graded",
        ],
    );
}
