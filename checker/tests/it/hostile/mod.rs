//! The checker against hostile submissions (`corpus/src/hostile/`): code that panics, aborts,
//! hangs, floods, forges, tampers or escapes. For each, the checker must
//! - give its case a verdict that names what happened (the `Expect:` phrase of its header),
//! - grade every other lesson normally,
//! - end within a stated bound,
//! - leave no process behind (checked three ways, see [`strays`]).
//!
//! And Ctrl-C must end a run at once, keeping what finished.
//!
//! Runs are one at a time (a lock), each in a process of its own (see [`serial`]): stray
//! detection looks at that process's children. The variant that deletes a spec file runs in a
//! copy of the workspace (see [`TAMPERS`]), never in the repository itself.
//!
//! This file is the harness; the tests are in `verdicts.rs` (every hostile submission's verdict,
//! a restored spec, inherited descriptors, Ctrl-C), `sandbox.rs` (what the sandbox stops) and
//! `resources.rs` (disk and CPU per case).
//!
//! Linux only: the attacks and the checks for strays use Linux's signals and /proc. On
//! Windows the same verdicts are proven under Wine by `.ci/windows-wine`.
#![cfg(target_os = "linux")]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::common::{Entry, copy_workspace, corpus_entries, processes, root, runner};
use serde_json::Value;

/// Variants that hang until their real-time budget runs out: they run with the spec timeout
/// cut to [`SHORT_TIMEOUT`] so that the suite stays fast.
const SLOW: &[&str] = &[
    "busy_loop",
    "yield_loop",
    "thread_sleep_hour",
    "sigstop_self",
    "sigterm_ignored_fork",
];
/// Variants that stop the runner's own watchdog (SIGSTOP), so that only the checker's limit
/// ends them: its budget plus [`checker::supervise::GRACE`], then SIGTERM and SIGKILL.
const UNRESPONSIVE: &[&str] = &["sigstop_self", "sigterm_ignored_fork"];
/// Variants that tamper with the course's files: they run in a copy of the workspace.
const TAMPERS: &[&str] = &["delete_spec"];
/// Variants whose attack the sandbox stops before it happens, run with `--sandbox off` here to
/// prove what holds behind it (and where there is none: macOS, `--sandbox off`): the checker
/// restores a deleted spec, ignores a signal from a case, names a daemon started with the
/// `setsid` program or double-forked into `/bin/sh`. With the sandbox, the same attacks fail
/// at once (a case may execute no program but its runner; a double fork that cannot execute
/// the shell dies at once, or is still named when the case reports, depending on timing) ([`the_sandbox_stops_what_the_checker_would_otherwise_mend`]).
const UNSANDBOXED: &[&str] = &[
    "delete_spec",
    "signal_checker",
    "escape_setsid",
    "escape_double_fork",
];
/// The real-time budget of the slow variants' cases.
const SHORT_TIMEOUT: &str = "1s";
/// [`SHORT_TIMEOUT`] as a duration.
const SHORT: Duration = Duration::from_secs(1);
/// The bound on a whole run with a hostile variant (build excluded: the runner is built once).
/// A fast variant takes about 0.2 s; one that blocks its thread its 1 s budget plus about
/// 0.1 s (the runner's watchdog reports); one that stops the watchdog too (SIGSTOP) the 1 s
/// budget, the checker's 2 s grace and its 0.3 s between SIGTERM and SIGKILL, about 3.4 s.
/// The rest, more than twice that, is room for a loaded machine.
const BOUND: Duration = Duration::from_secs(8);

/// Each kind of hostile submission issue 7 lists, and the corpus file that is it.
const REQUIRED: &[(&str, &str)] = &[
    ("a panic", "panic_halfway"),
    ("abort", "abort"),
    ("a stack overflow", "stack_overflow"),
    ("std::process::exit(0) from inside a lesson", "exit_zero"),
    ("an infinite busy loop", "busy_loop"),
    ("an infinite yield_now loop", "yield_loop"),
    ("std::thread::sleep(1 h)", "thread_sleep_hour"),
    ("a task that never completes", "never_completes"),
    ("a memory bomb", "memory_bomb"),
    ("spawning a thousand OS threads", "thread_bomb"),
    ("printing 1 GiB to stdout", "print_gib"),
    ("printing a forged result line", "forged_stdout"),
    (
        "imitating the runner's own failure on stderr, then exiting",
        "runner_words",
    ),
    ("writing to a file descriptor it does not own", "fd1000"),
    ("writing to a file descriptor it does not own", "fd3_forge"),
    (
        "writing to a file descriptor it does not own",
        "write_every_fd",
    ),
    ("deleting a file under specs/", "delete_spec"),
    ("stopping its own watchdog (SIGSTOP)", "sigstop_self"),
    ("a child that ignores SIGTERM", "sigterm_ignored_fork"),
    // Issue 13: the sandbox.
    (
        "reading private specs found through /proc",
        "read_private_specs",
    ),
    ("a TCP connection out", "connect_tcp"),
    (
        "files planted in $HOME, /tmp, specs/, target/",
        "plant_files",
    ),
    (
        "ptrace, process_vm_readv, /proc/<checker>/mem",
        "trace_checker",
    ),
    ("SIGKILL to the checker", "kill_checker"),
    ("setuid(0) and writing /etc as root", "root_tricks"),
    // Issue 22: resources per case, not per process.
    (
        "disk reserved with fallocate, in a folder closed with mode 000",
        "fill_disk",
    ),
    ("a hundred thousand empty files", "many_files"),
    ("folders nested deeper than PATH_MAX", "deep_folders"),
    ("files deleted while held open", "unnamed_files"),
    ("hundreds of spinning OS threads", "spin_threads"),
    ("hundreds of spinning child processes", "spin_children"),
];

/// One run at a time, each in a process that runs nothing else ([`common::alone`]) and adopts
/// orphans (so that none can hide from us): every descendant of that process is the run's.
/// `None` in the process of the whole suite, once test `name` (`hostile::MODULE::NAME`) passed
/// in a process of its own: the caller returns.
fn serial(name: &str) -> Option<MutexGuard<'static, ()>> {
    static SERIAL: Mutex<()> = Mutex::new(());
    static SUBREAPER: std::sync::Once = std::sync::Once::new();
    let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    if !common::alone(name) {
        return None;
    }
    SUBREAPER.call_once(|| {
        // SAFETY: prctl with PR_SET_CHILD_SUBREAPER only sets a flag on this process.
        unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    });
    Some(serial)
}

/// A copy of `specs/` where every case of `say_hello` (the lesson the slow variants replace)
/// has a real-time budget of [`SHORT_TIMEOUT`].
fn short_specs() -> tempfile::TempDir {
    specs_with_say_hello_timeout(SHORT_TIMEOUT)
}

/// A copy of `specs/` where every case of `say_hello` has a real-time budget of `timeout`.
fn specs_with_say_hello_timeout(timeout: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(root().join("specs")).expect("specs/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).expect("spec");
        if text.contains("lesson = \"say_hello\"") {
            text = text.replacen(
                "lesson = \"say_hello\"\n",
                &format!("lesson = \"say_hello\"\ntimeout = \"{timeout}\"\n"),
                1,
            );
            assert!(
                text.contains("timeout = "),
                "say_hello's spec changed shape"
            );
        }
        std::fs::write(dir.path().join(path.file_name().expect("name")), text).expect("copy");
    }
    dir
}

/// What one checker run did.
struct Run {
    pid: u32,
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// The checker, in a session of its own (so that everything it starts can be found by session
/// id), writing to files rather than pipes (so that a stray holding a pipe cannot hang us).
fn checker_command(args: &[&str]) -> (Command, tempfile::NamedTempFile, tempfile::NamedTempFile) {
    checker_command_in(&root(), args)
}

/// [`checker_command`], run from `dir` (a workspace: the checker finds its `specs/` there).
fn checker_command_in(
    dir: &Path,
    args: &[&str],
) -> (Command, tempfile::NamedTempFile, tempfile::NamedTempFile) {
    let stdout = tempfile::NamedTempFile::new().expect("stdout file");
    let stderr = tempfile::NamedTempFile::new().expect("stderr file");
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("checker"));
    command
        .env(common::SEED_ENV, common::SEED)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout.reopen().expect("reopen"))
        .stderr(stderr.reopen().expect("reopen"));
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    (command, stdout, stderr)
}

/// Runs the checker from the workspace `dir` to its end (killing it after a minute, which
/// fails the bound anyway).
fn run_checker_in(dir: &Path, args: &[&str]) -> Run {
    let (command, stdout, stderr) = checker_command_in(dir, args);
    run_to_end(command, stdout, stderr)
}

fn run_to_end(
    mut command: Command,
    stdout: tempfile::NamedTempFile,
    stderr: tempfile::NamedTempFile,
) -> Run {
    let started = Instant::now();
    let mut child = command.spawn().expect("checker starts");
    // Generous: a run may build a workspace copy from nothing on a loaded machine (a first
    // build took over 60 s at load 5, and the run killed then left its cargo behind, which
    // the stray check reported); a run that hangs still ends here.
    let status = wait_at_most(&mut child, Duration::from_secs(300));
    Run {
        pid: child.id(),
        code: status.and_then(|s| s.code()),
        stdout: std::fs::read_to_string(stdout.path()).unwrap_or_default(),
        stderr: std::fs::read_to_string(stderr.path()).unwrap_or_default(),
        elapsed: started.elapsed(),
    }
}

fn wait_at_most(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Processes left over by the checker run `pid` (ended): those still in its session, those
/// carrying the escapees' marker with its pid, and any descendant of this test process (which
/// adopts every orphan of the run, and runs nothing else meanwhile). Zombies (dead, not yet
/// reaped) do not count; those of ours are reaped. What is found is described, then killed,
/// so that a failing test leaves nothing running either.
fn strays(pid: u32) -> Vec<String> {
    let found = find_strays(pid);
    for (stray, _) in &found {
        // SAFETY: kill only sends a signal, to a process the run under test left behind.
        unsafe { libc::kill(*stray, libc::SIGKILL) };
    }
    found.into_iter().map(|(_, what)| what).collect()
}

fn find_strays(pid: u32) -> Vec<(i32, String)> {
    let marker = format!("asynclings-escapee-{pid}");
    let own = std::process::id() as i32;
    let all = processes();
    let mut ours = vec![own];
    let mut found = Vec::new();
    // Descendants of this process, generation by generation.
    while let Some(parent) = ours.pop() {
        for (child, state, ppid, _, cmdline) in &all {
            if *ppid != parent {
                continue;
            }
            ours.push(*child);
            if state == "Z" {
                // SAFETY: reaping a dead child of ours that no one else waits for (runs are
                // serial, and the checker of this run has been waited for).
                unsafe { libc::waitpid(*child, std::ptr::null_mut(), libc::WNOHANG) };
            } else {
                found.push((*child, format!("descendant {child} ({state}): {cmdline}")));
            }
        }
    }
    for (other, state, _, session, cmdline) in &all {
        if state == "Z" || *other == own {
            continue;
        }
        if *session == pid as i32 {
            found.push((
                *other,
                format!("in the run's session: {other} ({state}): {cmdline}"),
            ));
        } else if cmdline.contains(&marker) {
            found.push((*other, format!("escapee {other} ({state}): {cmdline}")));
        }
    }
    found
}

/// Parses a JSON report.
fn report_of(text: &str, stderr: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("no JSON report ({e}); stdout:\n{text}\nstderr:\n{stderr}"))
}

/// The verdict text (diagnosis and message) of the first case of `lesson` that did not pass.
fn verdict_of(report: &Value, lesson: &str) -> Option<String> {
    let lesson = report["lessons"]
        .as_array()?
        .iter()
        .find(|l| l["id"] == lesson)?;
    let case = lesson["cases"]
        .as_array()?
        .iter()
        .find(|c| c["status"] != "pass")?;
    Some(format!(
        "[{}] {} {} {}",
        case["status"].as_str().unwrap_or(""),
        case["diagnosis"].as_str().unwrap_or(""),
        case["evidence"].as_str().unwrap_or(""),
        case["message"].as_str().unwrap_or("")
    ))
}

/// What is wrong with the run of `entry`, if anything; and how long it took. Variants that
/// tamper with the course's files run in a copy of the workspace.
fn problems_with(entry: &Entry, runner: &Path, short: &Path) -> (Vec<String>, Duration) {
    let copy = TAMPERS
        .contains(&entry.variant.as_str())
        .then(copy_workspace);
    let dir = copy.as_ref().map_or_else(root, |c| c.path().to_path_buf());
    let mut args = vec![
        "--runner".to_string(),
        runner.display().to_string(),
        "--variant".into(),
        entry.variant.clone(),
        "--format".into(),
        "json".into(),
    ];
    if SLOW.contains(&entry.variant.as_str()) {
        args.extend(["--specs".into(), short.display().to_string()]);
    }
    if UNSANDBOXED.contains(&entry.variant.as_str()) {
        args.extend(["--sandbox".into(), "off".into()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_checker_in(&dir, &args);
    let mut problems = Vec::new();
    if run.elapsed > BOUND {
        problems.push(format!(
            "took {:?}, over the bound of {BOUND:?}",
            run.elapsed
        ));
    }
    // Those that stop the watchdog are ended by the checker's own limit, not before.
    let checkers_limit = SHORT + checker::supervise::GRACE;
    if UNRESPONSIVE.contains(&entry.variant.as_str()) && run.elapsed < checkers_limit {
        problems.push(format!(
            "ended after {:?}, before the checker's limit of {checkers_limit:?}: not by it",
            run.elapsed
        ));
    }
    for stray in strays(run.pid) {
        problems.push(format!("left a process behind: {stray}"));
    }
    if run.code != Some(1) {
        problems.push(format!("exit status {:?}, not 1", run.code));
    }
    let report = report_of(&run.stdout, &run.stderr);
    for lesson in report["lessons"].as_array().expect("lessons") {
        let id = lesson["id"].as_str().unwrap_or("?");
        let status = lesson["status"].as_str().unwrap_or("?");
        if id != entry.lesson && status != "done" {
            problems.push(format!(
                "lesson {id} is affected too: {status}: {}",
                verdict_of(&report, id).unwrap_or_default()
            ));
        }
    }
    match verdict_of(&report, &entry.lesson) {
        None => problems.push("its lesson passes".into()),
        Some(verdict) if !verdict.contains(&entry.expect) => problems.push(format!(
            "the verdict does not say {:?}; it says: {verdict}",
            entry.expect
        )),
        Some(_) => {}
    }
    (problems, run.elapsed)
}

/// Every file of `dir/specs/` with its bytes.
fn spec_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir.join("specs"))
        .expect("specs/")
        .map(|e| {
            let path = e.expect("entry").path();
            let bytes = std::fs::read(&path).expect("readable");
            (path.file_name().expect("a name").into(), bytes)
        })
        .collect();
    files.sort();
    files
}

fn rustix_is_root() -> bool {
    // SAFETY: geteuid only reads this process's credentials.
    unsafe { libc::geteuid() == 0 }
}

mod resources;
mod sandbox;
mod verdicts;
