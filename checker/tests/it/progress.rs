//! Progress remembered across runs: a lesson done for the first time names its reference
//! solution once, where the course ships `solutions/`, and never where it does not (a student
//! repository made with `checker template`).

use crate::common;

use std::path::Path;

const NOTE: &str =
    "Lesson 1 (say_hello) done. Compare with the reference solution: solutions/src/01_say_hello.rs";

/// `checker say_hello` in `dir`; unconfined, since a fresh template must write its Cargo.lock.
fn grade(dir: &Path) -> String {
    let output = common::checker()
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", common::target_of(dir))
        .args(["say_hello", "--no-timeline", "--sandbox", "off"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_lesson_done_names_its_solution_once_and_only_where_the_course_has_solutions() {
    let course = common::copy_workspace();
    let dir = course.path();
    std::fs::copy(
        dir.join("solutions/src/01_say_hello.rs"),
        dir.join("exercises/src/01_say_hello.rs"),
    )
    .unwrap();
    let first = grade(dir);
    assert!(first.contains(NOTE), "{first}");
    let progress = std::fs::read_to_string(dir.join("target/asynclings-progress.json")).unwrap();
    assert!(progress.contains("\"say_hello\""), "{progress}");
    let second = grade(dir);
    assert!(!second.contains("reference solution"), "{second}");

    // In a student repository made with `checker template`: no solutions/, none named.
    let template = tempfile::tempdir().unwrap();
    let out = template.path().join("course");
    common::checker()
        .current_dir(dir)
        .arg("template")
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("solutions").exists());
    // It ships the editor's settings (docs/editor.md).
    for file in [".vscode/settings.json", ".vscode/tasks.json"] {
        assert_eq!(
            std::fs::read(out.join(file)).unwrap(),
            std::fs::read(common::root().join(file)).unwrap()
        );
    }
    std::fs::copy(
        dir.join("exercises/src/01_say_hello.rs"),
        out.join("exercises/src/01_say_hello.rs"),
    )
    .unwrap();
    let graded = grade(&out);
    assert!(graded.contains("1 say_hello"), "{graded}");
    assert!(!graded.contains("reference solution"), "{graded}");
    assert!(out.join("target/asynclings-progress.json").exists());
}
