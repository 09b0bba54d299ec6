//! `checker reset LESSON` on a copy of the course under git, as a student's clone is: the
//! stub comes back even after the student committed their work, their version is kept and
//! named, and no file is ever lost.

use crate::common;

use std::path::Path;
use std::process::Command;

const LESSON: &str = "exercises/src/06_wait_n.rs";

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=student",
            "-c",
            "user.email=student@example.invalid",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

fn reset(dir: &Path, lesson: &str) -> assert_cmd::assert::Assert {
    common::checker()
        .current_dir(dir)
        .args(["reset", lesson])
        .assert()
}

#[test]
fn reset_brings_back_the_stub_and_keeps_every_version_of_the_students_work() {
    let course = common::copy_workspace();
    let dir = course.path();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "the course"]);
    let stub = std::fs::read_to_string(dir.join(LESSON)).unwrap();

    // Work, committed; then more work, not committed.
    let committed = stub.replacen("todo!()", "Vec::new()", 1);
    std::fs::write(dir.join(LESSON), &committed).unwrap();
    git(dir, &["commit", "-qam", "my wait_n"]);
    let uncommitted = stub.replacen("todo!()", "vec![1.0]", 1);
    std::fs::write(dir.join(LESSON), &uncommitted).unwrap();

    let out = reset(dir, "wait_n").success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(std::fs::read_to_string(dir.join(LESSON)).unwrap(), stub);
    let backup = ".asynclings/backups/06_wait_n.1.rs";
    assert!(said.contains(backup), "{said}");
    assert!(
        said.contains("exercises/src/06_wait_n.rs is the stub again"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(backup)).unwrap(),
        uncommitted
    );

    // Already the stub: nothing written, no backup made.
    let out = reset(dir, "6").success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(said.contains("already the stub"), "{said}");
    assert!(!dir.join(".asynclings/backups/06_wait_n.2.rs").exists());

    // A second reset keeps the second version beside the first.
    std::fs::write(dir.join(LESSON), &committed).unwrap();
    reset(dir, "wait_n").success();
    assert_eq!(
        std::fs::read_to_string(dir.join(".asynclings/backups/06_wait_n.2.rs")).unwrap(),
        committed
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(backup)).unwrap(),
        uncommitted
    );
}

#[test]
fn without_a_committed_stub_the_file_is_left_alone_and_the_error_says_why() {
    let course = common::copy_workspace();
    let dir = course.path();
    let work = "pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> { Vec::new() }\n";
    std::fs::write(dir.join(LESSON), work).unwrap();
    // No git repository: no history to find the stub in.
    let out = reset(dir, "wait_n").failure();
    let said = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        said.contains("cannot find the stub of exercises/src/06_wait_n.rs"),
        "{said}"
    );
    assert!(said.contains("Your file is unchanged"), "{said}");
    assert_eq!(std::fs::read_to_string(dir.join(LESSON)).unwrap(), work);
    assert!(!dir.join(".asynclings").exists());

    reset(dir, "no_such_lesson").failure();
}
