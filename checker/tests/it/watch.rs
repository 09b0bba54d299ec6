//! `checker watch` driven as a student drives it: in a real terminal (tmux), on a copy of the
//! workspace, saving a lesson that does not compile, then one that compiles but is wrong, then
//! a right one, and pressing the keys. Each screen is a snapshot. Then the same in a narrow
//! terminal without colors. And all along, no file under `exercises/` changes but the one the
//! student saved.

use crate::common;

use std::path::Path;
use std::time::Duration;

use crate::student::{Tmux, files_under, quoted, tmux_available, trimmed};

/// The first build of a copy compiles the course's dependencies: allow it a while.
const FIRST_BUILD: Duration = Duration::from_secs(600);
/// A later check builds one package and runs the cases.
const CHECK: Duration = Duration::from_secs(180);
/// A key redraws at once.
const KEY: Duration = Duration::from_secs(10);

const LESSON: &str = "exercises/src/01_say_hello.rs";

/// The lesson's body, as the student writes it in three saves.
const BROKEN: &str =
    "    println!(\"Hello\")\n    sleep(Duration::from_secs(1)).await;\n    println!(\"World\");";
const NO_AWAIT: &str =
    "    println!(\"Hello\");\n    sleep(Duration::from_secs(1));\n    println!(\"World\");";
const RIGHT: &str =
    "    println!(\"Hello\");\n    sleep(Duration::from_secs(1)).await;\n    println!(\"World\");";

/// The last line of the footer: a screen that shows it is drawn in full.
const FOOTER_END: &str = "checker watch --manual";

/// Starts `checker watch` in `course` with `env` (`NAME=value` words) in a terminal.
fn watch(course: &Path, name: &str, columns: u16, env: &str) -> Tmux {
    let checker = assert_cmd::cargo::cargo_bin("checker");
    let target = common::seeded(common::root().join("target/watch-test"));
    Tmux::start(
        name,
        columns,
        40,
        &format!(
            "cd {} && env -u NO_COLOR CARGO_TARGET_DIR={} TERM=xterm-256color {}={} {env} {} watch",
            quoted(&course.display().to_string()),
            quoted(&target.display().to_string()),
            common::SEED_ENV,
            common::SEED,
            quoted(&checker.display().to_string()),
        ),
    )
}

/// Waits for a full screen (footer drawn, no check under way) that shows `text`.
fn screen_with(tmux: &Tmux, text: &str, limit: Duration) -> String {
    common::mask_sandbox(&trimmed(&tmux.wait_for(text, limit, |screen| {
        screen.contains(text) && screen.contains(FOOTER_END) && !screen.contains("Checking…")
    })))
}

/// Saves the lesson with `body` in place of its `todo!()`.
fn save(course: &Path, stub: &str, body: &str) {
    let text = stub.replacen("    todo!()", body, 1);
    assert_ne!(text, stub, "the stub has a todo!() to replace");
    std::fs::write(course.join(LESSON), text).unwrap();
}

#[test]
fn a_student_saves_a_broken_then_a_wrong_then_a_right_lesson() {
    assert!(
        tmux_available(),
        "tmux is not installed, so watch mode cannot be driven in a terminal: run .ci/setup (or apt-get install tmux)"
    );
    let copy = common::copy_workspace();
    let course = copy.path();
    let before = files_under(&course.join("exercises"));
    let stub = std::fs::read_to_string(course.join(LESSON)).unwrap();
    let tmux = watch(course, "student", 100, "");

    let start = screen_with(&tmux, "Next: lesson 1, say_hello", FIRST_BUILD);
    insta::assert_snapshot!("watch_1_stubs", start);

    save(course, &stub, BROKEN);
    let broken = screen_with(&tmux, "does not compile", CHECK);
    assert!(broken.contains("expected `;`"), "{broken}");
    insta::assert_snapshot!("watch_2_does_not_compile", broken);

    save(course, &stub, NO_AWAIT);
    let wrong = screen_with(&tmux, "returned without waiting", CHECK);
    insta::assert_snapshot!("watch_3_wrong", wrong);

    save(course, &stub, RIGHT);
    let right = screen_with(&tmux, "Next: lesson 2, greet", CHECK);
    insta::assert_snapshot!("watch_4_right", right);
    // Colors on a terminal: the bar's done part is green, the labels bold.
    let colored = tmux.capture(true, false);
    assert!(colored.contains("\x1b[32m"), "{colored:?}");
    assert!(colored.contains("\x1b[1m"), "{colored:?}");

    tmux.send("h");
    let hint = screen_with(&tmux, "Hint:", KEY);
    assert!(hint.contains("h hide hint"), "{hint}");
    insta::assert_snapshot!("watch_5_hint", hint);

    tmux.send("l");
    let list = screen_with(&tmux, "12 measure_runtime", KEY);
    assert!(list.contains("✓  1 say_hello"), "{list}");
    insta::assert_snapshot!("watch_6_list", list);

    tmux.send("q");
    let bye = trimmed(&tmux.wait_for("the end of watch mode", KEY, |s| s.contains("[exited 0]")));
    assert!(bye.contains("Stopped watching"), "{bye}");

    // Progress is never lost: the saved file holds the last save, every other file is as it was.
    let after = files_under(&course.join("exercises"));
    let saved = Path::new(LESSON).strip_prefix("exercises").unwrap();
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &after {
        if path == saved {
            assert_eq!(
                String::from_utf8_lossy(bytes),
                stub.replacen("    todo!()", RIGHT, 1)
            );
        } else {
            assert!(before[path] == *bytes, "{} changed", path.display());
        }
    }

    narrow_terminal_without_colors(course);
    #[cfg(target_os = "linux")]
    a_closed_terminal_ends_watch_mode(course);
}

/// The terminal window closes while watch mode waits (tmux ends: SIGHUP, and the terminal is
/// gone): watch mode ends, instead of living on without a terminal. (Processes are found in
/// `/proc`.)
#[cfg(target_os = "linux")]
fn a_closed_terminal_ends_watch_mode(course: &Path) {
    let tmux = watch(course, "hangup", 100, "");
    screen_with(&tmux, "Next: lesson 2, greet", CHECK);
    let checker = assert_cmd::cargo::cargo_bin("checker")
        .display()
        .to_string();
    let watching = || {
        common::processes()
            .into_iter()
            .filter(|(pid, state, _, _, line)| {
                // The checker itself, not the shell that started it in the pane.
                line.starts_with(&checker)
                    && line.contains(" watch")
                    && state != "Z"
                    && std::fs::read_link(format!("/proc/{pid}/cwd"))
                        .is_ok_and(|cwd| cwd == course.canonicalize().unwrap())
            })
            .map(|(pid, state, _, _, line)| format!("{pid} {state} {line}"))
            .collect::<Vec<_>>()
    };
    assert!(!watching().is_empty(), "no watch process found to hang up");
    drop(tmux);
    let deadline = std::time::Instant::now() + KEY;
    while !watching().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        watching(),
        Vec::<String>::new(),
        "watch mode lives on after its terminal closed"
    );
}

/// The same course (lesson 1 done) in 60 columns with `NO_COLOR`: no escape sequences, and
/// every line the checker writes fits.
fn narrow_terminal_without_colors(course: &Path) {
    let tmux = watch(course, "narrow", 60, "NO_COLOR=1");
    let screen = screen_with(&tmux, "Next: lesson 2, greet", CHECK);
    insta::assert_snapshot!("watch_7_narrow_no_color", screen);
    let raw = tmux.capture(true, true);
    assert!(!raw.contains("\x1b["), "colors despite NO_COLOR: {raw:?}");
    let joined = tmux.capture(false, true);
    for line in joined.lines() {
        assert!(
            line.trim_end().chars().count() <= 60,
            "a line wider than the terminal: {line:?}\n{joined}"
        );
    }
    tmux.send("l");
    let list = screen_with(&tmux, "12 measure_runtime", KEY);
    insta::assert_snapshot!("watch_8_narrow_list", list);
    tmux.send("q");
    tmux.wait_for("the end of watch mode", KEY, |s| s.contains("[exited 0]"));
}
