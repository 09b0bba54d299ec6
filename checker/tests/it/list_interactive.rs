//! `checker list` on a terminal (tmux), as a student drives it: the cursor opens on the next
//! lesson, moves, opens a lesson in the editor (`--edit-cmd`), grades it again after a save,
//! and resets it to its stub, keeping the student's version.

use crate::common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::student::{Tmux, quoted, tmux_available};

/// The first build of a copy compiles the course's dependencies: allow it a while.
const FIRST_BUILD: Duration = Duration::from_secs(600);
/// Grading one lesson again.
const GRADE: Duration = Duration::from_secs(180);
/// A key redraws at once.
const KEY: Duration = Duration::from_secs(10);

const KEYS: &str = "q quit";

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
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
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn a_student_moves_opens_grades_and_resets_a_lesson_from_the_list() {
    assert!(
        tmux_available(),
        "tmux is not installed, so the list cannot be driven in a terminal: run .ci/setup (or apt-get install tmux)"
    );
    let copy = common::copy_workspace();
    let course = copy.path();
    git(course, &["init", "-q"]);
    git(course, &["add", "-A"]);
    git(course, &["commit", "-qm", "the course"]);
    // Lesson 1 done: the cursor opens on lesson 2, the next.
    std::fs::copy(
        course.join("solutions/src/01_say_hello.rs"),
        course.join("exercises/src/01_say_hello.rs"),
    )
    .unwrap();
    // The "editor" records what it was asked to open.
    let editor = course.join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\necho \"$1\" > \"$(dirname \"$0\")/opened.txt\"\n",
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .unwrap();

    let checker = assert_cmd::cargo::cargo_bin("checker");
    let tmux = Tmux::start(
        "list",
        100,
        40,
        &format!(
            "cd {} && env NO_COLOR=1 CARGO_TARGET_DIR={} TERM=xterm-256color {} list --edit-cmd {}",
            quoted(&course.display().to_string()),
            quoted(&common::target_of(course).display().to_string()),
            quoted(&checker.display().to_string()),
            quoted(&editor.display().to_string()),
        ),
    );
    let ready =
        |text: &'static str| move |screen: &str| screen.contains(text) && screen.contains(KEYS);
    let screen = tmux.wait_for("the list", FIRST_BUILD, ready("Next: lesson 2"));
    let marked = |screen: &str, id: &str| {
        screen
            .lines()
            .find(|l| l.starts_with('>'))
            .is_some_and(|l| l.contains(&format!(" {id} ")) || l.ends_with(id))
    };
    assert!(
        marked(&screen, "greet"),
        "the cursor starts on the next lesson:\n{screen}"
    );

    tmux.send("k");
    let screen = tmux.wait_for("the cursor up", KEY, |s| marked(s, "say_hello"));
    assert!(screen.contains("done"), "{screen}");

    // Down to wait_n (lesson 6), opened in the editor.
    for _ in 0..5 {
        tmux.send("j");
    }
    tmux.wait_for("the cursor on wait_n", KEY, |s| marked(s, "wait_n"));
    tmux.send("Enter");
    tmux.wait_for("the editor's return", KEY, |s| s.contains("edited "));
    let opened = std::fs::read_to_string(course.join("opened.txt")).unwrap();
    assert!(
        opened.trim().ends_with("exercises/src/06_wait_n.rs"),
        "{opened}"
    );

    // Saved wrong (sequential), then graded from the list.
    let stub = std::fs::read_to_string(course.join("exercises/src/06_wait_n.rs")).unwrap();
    std::fs::copy(
        course.join("solutions/src/05_wait_random.rs"),
        course.join("exercises/src/05_wait_random.rs"),
    )
    .unwrap();
    let work = stub.replacen(
        "    todo!()",
        "    let mut delays = Vec::new();\n    for _ in 0..n {\n        delays.push(wait_random(max_delay).await);\n    }\n    delays",
        1,
    );
    std::fs::write(course.join("exercises/src/06_wait_n.rs"), &work).unwrap();
    tmux.send("g");
    let screen = tmux.wait_for("wait_n graded", GRADE, |s| {
        s.contains("graded lesson 6 (wait_n)") && marked(s, "wait_n")
    });
    let line = screen.lines().find(|l| l.starts_with('>')).unwrap();
    assert!(line.contains("failing"), "{screen}");

    // Reset: the stub is back, the student's work kept and named.
    tmux.send("r");
    let screen = tmux.wait_for("the reset", KEY, |s| s.contains("is the stub again"));
    assert!(
        screen.contains(".asynclings/backups/06_wait_n.1.rs"),
        "{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(course.join("exercises/src/06_wait_n.rs")).unwrap(),
        stub
    );
    assert_eq!(
        std::fs::read_to_string(course.join(".asynclings/backups/06_wait_n.1.rs")).unwrap(),
        work
    );

    tmux.send("q");
    tmux.wait_for("the list to end", KEY, |s| s.contains("[exited 0]"));
}
