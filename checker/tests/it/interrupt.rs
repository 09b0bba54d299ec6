//! Interrupted runs (Ctrl-C, SIGTERM, or the code under test signalling the checker): the
//! report is still written, keeps every case with its full maximum score, never passes, says
//! it was interrupted, and the checker exits with 130.
//!
//! Linux only: the attacks and the checks for strays use Linux's signals and /proc. On
//! Windows the same verdicts are proven under Wine by `.ci/windows-wine`.
#![cfg(target_os = "linux")]

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{cases, copy_workspace, json_report, lesson_count, runner};
use base64::Engine;
use serde_json::Value;

/// (number of cases, maximum score) of the whole course, from a run of the reference.
fn course_size() -> (usize, f64) {
    let (code, report) = json_report(&["--runner", runner("solutions").to_str().unwrap()]);
    assert_eq!(code, 0);
    (
        cases(&report).len(),
        report["summary"]["max_score"].as_f64().unwrap(),
    )
}

/// Runs the checker on the corpus `variant` in `format`, with `-j 1` (cases in spec order, so
/// that say_hello's run first); sends SIGTERM after `signal_after` if given. (exit, report).
fn corpus_run(
    variant: &str,
    format: &str,
    signal_after: Option<Duration>,
) -> (Option<i32>, String) {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("checker"));
    command
        .env(common::SEED_ENV, common::SEED)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .args(["--runner", runner("corpus").to_str().unwrap()])
        .args(["--variant", variant, "--format", format, "-j", "1"]);
    if variant == "signal_checker" {
        // The sandbox keeps the signal in the case (hostile.rs proves it); without it, the
        // checker must recognise and ignore it, as here and where there is no sandbox.
        command.args(["--sandbox", "off"]);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    if let Some(after) = signal_after {
        std::thread::sleep(after);
        // SAFETY: kill only sends a signal, to the checker we started.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    }
    let mut stdout = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    (child.wait().unwrap().code(), stdout)
}

/// The GitHub Classroom result object of a `--format github-classroom` report.
fn classroom_of(text: &str) -> Value {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap();
    serde_json::from_slice(&decoded).unwrap()
}

/// Checks the json, gradescope and github-classroom reports of a run of `variant`: none
/// passes, every case is there with the course's full maximum score; returns the three.
fn reports_keep_every_case(
    variant: &str,
    signal_after: Option<Duration>,
    code: i32,
) -> (Value, Value, Value) {
    let (count, max) = course_size();
    assert!(count > 0 && max > 0.0);

    let (status, text) = corpus_run(variant, "json", signal_after);
    assert_eq!(status, Some(code), "{text}");
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["lessons"].as_array().unwrap().len(), lesson_count());
    assert_eq!(cases(&json).len(), count, "every case is kept");
    assert_eq!(json["summary"]["max_score"].as_f64(), Some(max));
    assert!(json["summary"]["score"].as_f64().unwrap() < max);
    let say_hello = &json["lessons"][0];
    assert_eq!(say_hello["id"], "say_hello");
    assert_ne!(say_hello["status"], "done", "{say_hello:#}");

    let (status, text) = corpus_run(variant, "gradescope", signal_after);
    assert_eq!(status, Some(code));
    let gradescope: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(gradescope["tests"].as_array().unwrap().len(), count);
    assert_eq!(gradescope["extra_data"]["max_score"].as_f64(), Some(max));
    assert!(gradescope["score"].as_f64().unwrap() < max);

    let (status, text) = corpus_run(variant, "github-classroom", signal_after);
    assert_eq!(status, Some(code));
    let classroom = classroom_of(&text);
    assert_ne!(classroom["status"], "pass", "{classroom:#}");
    assert_eq!(classroom["tests"].as_array().unwrap().len(), count);
    assert_eq!(classroom["max_score"].as_f64(), Some(max));
    (json, gradescope, classroom)
}

#[test]
fn code_that_signals_the_checker_is_ignored_named_and_loses_no_case() {
    let (json, _, _) = reports_keep_every_case("signal_checker", None, 1);
    assert_eq!(json["interrupted"], false);
    let case = &json["lessons"][0]["cases"][0];
    assert_eq!(case["status"], "error");
    assert!(
        case["message"]
            .as_str()
            .unwrap()
            .contains("sent a signal to the checker"),
        "{case:#}"
    );
    // Every other lesson is graded in full.
    for lesson in &json["lessons"].as_array().unwrap()[1..] {
        assert_eq!(lesson["status"], "done", "{lesson:#}");
    }
}

#[test]
fn sigterm_while_grading_keeps_every_case_and_never_passes() {
    // say_hello sleeps an hour on the thread: the signal comes while it runs.
    let after = Some(Duration::from_millis(1500));
    let (json, gradescope, classroom) = reports_keep_every_case("thread_sleep_hour", after, 130);
    assert_eq!(json["interrupted"], true);
    assert_eq!(
        json["lessons"][0]["cases"][0]["message"],
        "not run: the run was interrupted"
    );
    for lesson in json["lessons"].as_array().unwrap() {
        assert_ne!(lesson["status"], "done", "{lesson:#}");
    }
    assert!(
        gradescope["output"]
            .as_str()
            .unwrap()
            .contains("interrupted"),
        "{gradescope:#}"
    );
    assert_eq!(classroom["status"], "error");
    assert_eq!(classroom["interrupted"], true);
}

/// Processes of session `session` still alive (not zombies), from /proc.
fn alive_in_session(session: i32) -> Vec<String> {
    common::processes()
        .into_iter()
        .filter(|(_, state, _, sid, _)| *sid == session && state != "Z")
        .map(|(pid, state, _, _, command)| format!("{pid} {state} {command}"))
        .collect()
}

#[test]
fn sigterm_during_the_build_ends_cargo_and_still_writes_the_report() {
    let copy = copy_workspace();
    // A target folder of its own: the build has everything to compile, so it is still running
    // when the signal comes.
    let target = tempfile::tempdir().unwrap();
    let report_file = copy.path().join("report.json");
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("checker"));
    command
        .env(common::SEED_ENV, common::SEED)
        .current_dir(copy.path())
        .env("NO_COLOR", "1")
        .env("CARGO_TARGET_DIR", target.path())
        .args(["--format", "json", "--output"])
        .arg(&report_file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setsid is async-signal-safe; a session of its own lets us find what it left.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let session = child.id() as i32;
    // Wait until cargo runs (a second process in the session), at most 20 s.
    let deadline = Instant::now() + Duration::from_secs(20);
    while alive_in_session(session).len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: kill only sends a signal, to the checker we started.
    unsafe { libc::kill(session, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the checker did not end within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(200));
    let left = alive_in_session(session);
    for line in &left {
        if let Some(pid) = line.split_whitespace().next().and_then(|p| p.parse().ok()) {
            // SAFETY: kill only sends a signal, to a leftover of the run under test.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
    assert_eq!(status.code(), Some(130));
    assert!(left.is_empty(), "cargo was not ended: {left:#?}");
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(&report_file).expect("the report file is written"),
    )
    .unwrap();
    assert_eq!(report["interrupted"], true);
    assert_eq!(report["lessons"].as_array().unwrap().len(), lesson_count());
    assert!(!cases(&report).is_empty());
    for case in cases(&report) {
        assert_eq!(case["status"], "error", "{case:#}");
        assert_eq!(case["message"], "not run: the run was interrupted");
        assert_eq!(case["points"], 0.0);
    }
    assert!(report["summary"]["max_score"].as_f64().unwrap() > 0.0);
}
