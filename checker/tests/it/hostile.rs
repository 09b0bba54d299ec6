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
/// `None` in the process of the whole suite, once test `name` (`hostile::NAME`) passed in a
/// process of its own: the caller returns.
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

#[test]
fn every_hostile_submission_gets_a_verdict_that_names_it() {
    let entries = corpus_entries("hostile");
    let names: Vec<&str> = entries.iter().map(|e| e.variant.as_str()).collect();
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|(_, file)| !names.contains(file))
        .map(|(what, file)| format!("{what} (corpus/src/hostile/{file}.rs)"))
        .collect();
    assert!(missing.is_empty(), "not in the hostile corpus: {missing:?}");
    for name in SLOW
        .iter()
        .chain(UNRESPONSIVE)
        .chain(TAMPERS)
        .chain(UNSANDBOXED)
    {
        assert!(
            names.contains(name),
            "{name} is listed here but not in the corpus"
        );
    }
    let Some(_serial) = serial("hostile::every_hostile_submission_gets_a_verdict_that_names_it")
    else {
        return;
    };
    let corpus = runner("corpus");
    let short = short_specs();
    let mut failures = Vec::new();
    let mut timings = Vec::new();
    for entry in &entries {
        let (problems, elapsed) = problems_with(entry, &corpus, short.path());
        timings.push(format!(
            "{:>20} {:>6.2} s",
            entry.variant,
            elapsed.as_secs_f64()
        ));
        failures.extend(
            problems
                .into_iter()
                .map(|p| format!("{} ({}): {p}", entry.variant, entry.lesson)),
        );
    }
    // Shown with --nocapture: the figures the bound is checked against.
    eprintln!("wall time of each hostile run:\n{}", timings.join("\n"));
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
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

/// What git says about the repository's `specs/` (empty: nothing changed).
fn git_status_of_specs() -> String {
    let output = Command::new("git")
        .args(["status", "--porcelain", "--", "specs"])
        .current_dir(root())
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git status fails");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_deleted_spec_file_is_really_restored() {
    let Some(_serial) = serial("hostile::a_deleted_spec_file_is_really_restored") else {
        return;
    };
    let corpus = runner("corpus");
    let repo_before = spec_files(&root());
    // The variant deletes a spec of the checker that runs it, found from the checker's working
    // directory: a copy of the workspace, so that the repository's own file is never at risk.
    let copy = copy_workspace();
    let victim = copy.path().join("specs/12_measure_runtime.toml");
    assert!(victim.is_file(), "the copy has no {}", victim.display());
    let copy_before = spec_files(copy.path());
    let run = run_checker_in(
        copy.path(),
        &[
            "--runner",
            corpus.to_str().expect("utf-8 path"),
            "--variant",
            "delete_spec",
            "--format",
            "json",
            // Behind the sandbox (which keeps the checker's folder out of reach).
            "--sandbox",
            "off",
        ],
    );
    assert_eq!(strays(run.pid), Vec::<String>::new());
    // The file was deleted (the verdict says so) and is back, byte for byte.
    let report = report_of(&run.stdout, &run.stderr);
    let verdict = verdict_of(&report, "say_hello").expect("say_hello is flagged");
    assert!(
        verdict.contains("[error]") && verdict.contains("specs/12_measure_runtime.toml"),
        "{verdict}"
    );
    assert!(
        spec_files(copy.path()) == copy_before,
        "the copy's specs/ differs after the run"
    );
    // The lesson whose spec was deleted is still graded, from the spec read at the start.
    let statuses = common::lesson_statuses(&report);
    assert!(
        statuses.contains(&("measure_runtime".into(), "done".into())),
        "{statuses:?}"
    );
    // The repository's specs/ was never touched.
    assert!(
        spec_files(&root()) == repo_before,
        "the repository's specs/ changed"
    );
    assert_eq!(git_status_of_specs(), "", "git sees a change in specs/");
}

#[test]
fn descriptors_the_checker_inherits_do_not_reach_the_code_under_test() {
    let Some(_serial) =
        serial("hostile::descriptors_the_checker_inherits_do_not_reach_the_code_under_test")
    else {
        return;
    };
    let corpus = runner("corpus");
    // The checker gets an extra descriptor, as from a CI runner that leaks one: fd 9, open on
    // a file. The variant writes to every descriptor up to 1023.
    let leak = tempfile::NamedTempFile::new().expect("leak file");
    let leak_fd = std::os::fd::AsRawFd::as_raw_fd(leak.as_file());
    let (mut command, stdout, stderr) = checker_command(&[
        "--runner",
        corpus.to_str().expect("utf-8 path"),
        "--variant",
        "write_every_fd",
        "--format",
        "json",
    ]);
    // SAFETY: dup2 is async-signal-safe; the copy it makes is not close-on-exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(move || {
            if libc::dup2(leak_fd, 9) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let run = run_to_end(command, stdout, stderr);
    assert_eq!(strays(run.pid), Vec::<String>::new());
    let written = std::fs::read_to_string(leak.path()).expect("leak file");
    assert!(
        written.is_empty(),
        "the code under test wrote to the checker's fd 9: {written:?}"
    );
    let report = report_of(&run.stdout, &run.stderr);
    let verdict = verdict_of(&report, "say_hello").expect("a verdict");
    assert!(verdict.contains("tampered with"), "{verdict}");
}

/// The case processes the checker `checker` runs now (spawned `--case` children, or the
/// children of its case servers), not counting its case servers themselves.
fn cases_running(checker: u32) -> usize {
    let all = processes();
    let alive = |(_, state, ..): &&(i32, String, i32, i32, String)| state != "Z";
    let children: Vec<&(i32, String, i32, i32, String)> = all
        .iter()
        .filter(alive)
        .filter(|(_, _, ppid, ..)| *ppid == checker as i32)
        .collect();
    let servers: Vec<i32> = children
        .iter()
        .filter(|(.., command)| command.contains("--serve"))
        .map(|(pid, ..)| *pid)
        .collect();
    let served = all
        .iter()
        .filter(alive)
        .filter(|(_, _, ppid, ..)| servers.contains(ppid))
        .count();
    children.len() - servers.len() + served
}

#[test]
fn ctrl_c_ends_the_run_at_once_and_keeps_what_finished() {
    let Some(_serial) = serial("hostile::ctrl_c_ends_the_run_at_once_and_keeps_what_finished")
    else {
        return;
    };
    let corpus = runner("corpus");
    let output = tempfile::tempdir().expect("tempdir");
    let report_path = output.path().join("report.json");
    // The hour-long sleep holds its case for a minute of real time, far longer than the rest
    // of the course takes even on a loaded machine (about 0.2 s alone).
    let specs = specs_with_say_hello_timeout("60s");
    let (mut command, _stdout, stderr) = checker_command(&[
        "--runner",
        corpus.to_str().expect("utf-8 path"),
        "--variant",
        "thread_sleep_hour",
        "--specs",
        specs.path().to_str().expect("utf-8 path"),
        "--format",
        "json",
        "--output",
        report_path.to_str().expect("utf-8 path"),
    ]);
    let mut child = command.spawn().expect("checker starts");
    let pid = child.id();
    // Wait until every other case has finished: the hanging say_hello case is the only case
    // process left (spawned or forked by a case server), and stays so for STEADY (a new case
    // starts within microseconds of the last one ending). Polled, with a generous DEADLINE,
    // rather than a fixed sleep.
    const STEADY: Duration = Duration::from_millis(500);
    const DEADLINE: Duration = Duration::from_secs(30);
    let started = Instant::now();
    let mut alone_since: Option<Instant> = None;
    loop {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the run ended before the interrupt"
        );
        // The hanging case is the only one that takes more than milliseconds.
        let running = cases_running(pid);
        if running == 1 {
            let since = *alone_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= STEADY {
                break;
            }
        } else {
            alone_since = None;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "after {DEADLINE:?} the other cases still run: {running} case process(es)"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let interrupted = Instant::now();
    // SAFETY: kill only sends a signal to the child we started.
    unsafe { libc::kill(pid as i32, libc::SIGINT) };
    let status = wait_at_most(&mut child, Duration::from_secs(10));
    let took = interrupted.elapsed();
    let stderr = std::fs::read_to_string(stderr.path()).unwrap_or_default();
    assert!(took < Duration::from_secs(2), "took {took:?} to stop");
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(130),
        "stderr:\n{stderr}"
    );
    assert_eq!(strays(pid), Vec::<String>::new());
    let text = std::fs::read_to_string(&report_path).expect("the report was written");
    let report = report_of(&text, &stderr);
    assert_eq!(report["interrupted"], true);
    // Every other lesson's visible cases finished before the interrupt, with their real
    // verdicts; hidden cases run only after every visible one (the hanging say_hello case
    // among them), so they were still waiting: each is an error that says so.
    let statuses = common::lesson_statuses(&report);
    let unfinished: Vec<String> = report["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .filter(|lesson| lesson["id"] != "say_hello")
        .flat_map(|lesson| lesson["cases"].as_array().expect("cases"))
        .filter(|case| case["status"] != "pass")
        .filter(|case| {
            !(case["hidden"] == true
                && case["status"] == "error"
                && case["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("interrupted")))
        })
        .map(|case| case.to_string())
        .collect();
    assert!(unfinished.is_empty(), "not finished: {unfinished:#?}");
    assert_eq!(statuses.len(), common::lesson_count(), "{statuses:?}");
    // The interrupted case is kept, as an error that says why, with its points still counted
    // in the maximum: an interrupted run can never read as a full score.
    let say_hello = common::lesson_of(&report, "say_hello");
    let case = say_hello["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("prints Hello"))
        })
        .unwrap_or_else(|| panic!("the interrupted case is missing: {say_hello}"));
    assert_eq!(case["status"], "error", "{case}");
    assert!(
        case["message"]
            .as_str()
            .is_some_and(|m| m.contains("interrupted")),
        "{case}"
    );
    assert_eq!(case["points"], 0.0, "{case}");
    assert!(
        case["max_points"].as_f64().is_some_and(|p| p > 0.0),
        "{case}"
    );
}

// ---------------------------------------------------------------------------------------------
// The sandbox (issue 13). These need Landlock (ABI 6 or later) and, where said, root: they fail
// rather than skip where either is missing, since the guarantee they prove would not hold.
// ---------------------------------------------------------------------------------------------

/// A line no output of the checker may ever show: it is only in a private spec's comment.
const SECRET: &str = "HIDDEN-CASE-MARKER-7f3a9c";

/// A private spec directory: a hidden case of `say_hello`, with [`SECRET`] in a comment.
fn private_specs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("hidden_say_hello.toml"),
        format!(
            "# {SECRET}\nlesson = \"say_hello\"\ntitle = \"hidden\"\nfile = \"01_say_hello.rs\"\nfunction = \"say_hello\"\nhint = \"-\"\n\n[[case]]\nname = \"hidden: Hello then World\"\nhidden = true\n[case.expect]\nelapsed = \"1s\"\n"
        ),
    )
    .expect("private spec");
    dir
}

/// Landlock's ABI on this kernel; fails the test where it is missing or too old.
fn require_landlock() {
    let caps = checker::os::sandbox::Capabilities::probe();
    assert!(
        caps.landlock_abi
            .is_some_and(|abi| abi >= checker::os::sandbox::REQUIRED_LANDLOCK_ABI),
        "these tests need Landlock ABI {} or later; this kernel offers {:?}",
        checker::os::sandbox::REQUIRED_LANDLOCK_ABI,
        caps.landlock_abi
    );
}

/// Runs the corpus variant `variant` on `say_hello` with `extra` arguments; (run, strays).
fn run_variant(variant: &str, extra: &[&str]) -> (Run, Vec<String>) {
    let corpus = runner("corpus");
    // No timeline: its runner's first build (minutes, once) is not what these bounds measure.
    let mut args = vec![
        "--runner",
        corpus.to_str().expect("utf-8 path"),
        "--variant",
        variant,
        "--no-timeline",
    ];
    args.extend_from_slice(extra);
    let run = run_checker_in(&root(), &args);
    let strays = strays(run.pid);
    (run, strays)
}

#[test]
fn hidden_cases_do_not_reach_any_output_of_a_case_that_reads_the_private_specs() {
    require_landlock();
    let Some(_serial) = serial(
        "hostile::hidden_cases_do_not_reach_any_output_of_a_case_that_reads_the_private_specs",
    ) else {
        return;
    };
    let private = private_specs();
    let private_arg = private.path().to_str().expect("utf-8 path");
    for format in ["json", "human", "gradescope", "junit", "github-classroom"] {
        // The default with a private --specs directory: `required`.
        let (run, strays) = run_variant(
            "read_private_specs",
            &[
                "--specs",
                "specs",
                "--specs",
                private_arg,
                "--format",
                format,
            ],
        );
        assert_eq!(strays, Vec::<String>::new());
        assert!(run.elapsed < BOUND, "{format}: took {:?}", run.elapsed);
        assert_eq!(run.code, Some(1), "{format}: {}{}", run.stdout, run.stderr);
        for text in [&run.stdout, &run.stderr] {
            assert!(
                !text.contains(SECRET),
                "{format}: the hidden spec leaked:\n{text}"
            );
        }
        if format == "json" {
            let report = report_of(&run.stdout, &run.stderr);
            assert_eq!(
                report["sandbox"]["mode"], "required",
                "{}",
                report["sandbox"]
            );
            let verdict = verdict_of(&report, "say_hello").expect("a verdict");
            assert!(verdict.contains("Permission denied"), "{verdict}");
            let statuses = common::lesson_statuses(&report);
            assert!(
                statuses
                    .iter()
                    .all(|(id, s)| id == "say_hello" || s == "done"),
                "{statuses:?}"
            );
        }
    }
    // The same attack without the sandbox gets the hidden spec out: the test above is real.
    let (run, strays) = run_variant(
        "read_private_specs",
        &[
            "--specs",
            "specs",
            "--specs",
            private_arg,
            "--format",
            "gradescope",
            "--sandbox",
            "off",
        ],
    );
    assert_eq!(strays, Vec::<String>::new());
    assert!(
        run.stdout.contains(SECRET),
        "without the sandbox the attack should work: {}",
        run.stdout
    );
}

#[test]
fn no_tcp_connection_leaves_a_case() {
    require_landlock();
    let Some(_serial) = serial("hostile::no_tcp_connection_leaves_a_case") else {
        return;
    };
    let port = 47_613; // corpus/src/hostile/connect_tcp.rs
    let listeners: Vec<std::net::TcpListener> = ["127.0.0.1", "::1"]
        .iter()
        .map(|ip| {
            let listener = std::net::TcpListener::bind((*ip, port))
                .unwrap_or_else(|e| panic!("cannot listen on {ip} port {port}: {e}"));
            listener.set_nonblocking(true).expect("nonblocking");
            listener
        })
        .collect();
    let (run, strays) = run_variant("connect_tcp", &["--format", "json"]);
    assert_eq!(strays, Vec::<String>::new());
    for listener in &listeners {
        match listener.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("a connection reached the listener: {other:?}"),
        }
    }
    let report = report_of(&run.stdout, &run.stderr);
    assert_eq!(report["sandbox"]["network"], "denied");
    let verdict = verdict_of(&report, "say_hello").expect("a verdict");
    assert!(verdict.contains("Permission denied"), "{verdict}");
}

#[test]
fn a_case_plants_no_file_in_home_tmp_specs_or_target() {
    require_landlock();
    let Some(_serial) = serial("hostile::a_case_plants_no_file_in_home_tmp_specs_or_target") else {
        return;
    };
    let marker = "asynclings-planted-marker"; // corpus/src/hostile/plant_files.rs
    let mut places = vec![
        PathBuf::from("/tmp").join(marker),
        root().join("specs").join(marker),
        root().join("target").join(marker),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        places.push(PathBuf::from(home).join(marker));
    }
    for place in &places {
        let _ = std::fs::remove_file(place);
    }
    let (run, strays) = run_variant("plant_files", &["--format", "json"]);
    assert_eq!(strays, Vec::<String>::new());
    let planted: Vec<&PathBuf> = places.iter().filter(|p| p.exists()).collect();
    for place in &planted {
        let _ = std::fs::remove_file(place);
    }
    assert!(planted.is_empty(), "planted: {planted:?}");
    let report = report_of(&run.stdout, &run.stderr);
    let verdict = verdict_of(&report, "say_hello").expect("a verdict");
    assert!(verdict.contains("Permission denied"), "{verdict}");
}

#[test]
fn the_sandbox_stops_what_the_checker_would_otherwise_mend() {
    require_landlock();
    let Some(_serial) = serial("hostile::the_sandbox_stops_what_the_checker_would_otherwise_mend")
    else {
        return;
    };
    // The checker's working directory is out of reach (/proc/<checker>/cwd needs ptrace
    // access): no spec is deleted, nothing needs restoring, and the lesson is simply right.
    let copy = copy_workspace();
    let before = spec_files(copy.path());
    let corpus = runner("corpus");
    let corpus_arg = corpus.to_str().expect("utf-8 path");
    let run = run_checker_in(
        copy.path(),
        &[
            "--runner",
            corpus_arg,
            "--variant",
            "delete_spec",
            "--format",
            "json",
        ],
    );
    assert_eq!(strays(run.pid), Vec::<String>::new());
    assert!(spec_files(copy.path()) == before, "a spec changed");
    let report = report_of(&run.stdout, &run.stderr);
    assert_eq!(common::lesson_of(&report, "say_hello")["status"], "done");
    // A signal cannot leave the case: the checker never sees it, nor needs to ignore it.
    let (run, strays) = run_variant("signal_checker", &["--format", "json"]);
    assert_eq!(strays, Vec::<String>::new());
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let report = report_of(&run.stdout, &run.stderr);
    assert_eq!(report["sandbox"]["signals"], "scoped");
    assert_eq!(report["interrupted"], false);
    // No program but the runner can be executed: the `setsid` program cannot start a daemon.
    // (The variant's helper sleeps with std::thread::sleep, which the source rule names: that
    // verdict stands; the call itself leaves nothing behind.)
    let (run, strays) = run_variant("escape_setsid", &["--format", "json"]);
    assert_eq!(strays, Vec::<String>::new());
    let report = report_of(&run.stdout, &run.stderr);
    for case in common::lesson_of(&report, "say_hello")["cases"]
        .as_array()
        .unwrap()
    {
        let message = case["message"].as_str().unwrap_or("");
        assert!(!message.contains("process group"), "{case:#}");
        if !case["name"].as_str().unwrap_or("").starts_with("source of") {
            assert_eq!(case["status"], "pass", "{case:#}");
        }
    }
}

/// As root (Gradescope, many CI images) cases run as nobody; as another user they run as that
/// user, whom the kernel already keeps from root. Either way the case cannot become root nor
/// write /etc: the test asserts what applies to the user it runs as.
#[test]
fn cases_run_unprivileged_and_cannot_get_root_back() {
    require_landlock();
    let as_root = rustix_is_root();
    let Some(_serial) = serial("hostile::cases_run_unprivileged_and_cannot_get_root_back") else {
        return;
    };
    let etc_marker = Path::new("/etc/asynclings-planted-marker"); // hostile/root_tricks.rs
    let _ = std::fs::remove_file(etc_marker);
    let (run, strays) = run_variant("root_tricks", &["--format", "json"]);
    assert_eq!(strays, Vec::<String>::new());
    let planted = etc_marker.exists();
    let _ = std::fs::remove_file(etc_marker);
    assert!(!planted, "the case wrote {}", etc_marker.display());
    let report = report_of(&run.stdout, &run.stderr);
    if as_root {
        assert_eq!(report["sandbox"]["user"], 65534, "root drops to nobody");
    } else {
        assert!(
            report["sandbox"]["user"].is_null(),
            "a user keeps its own uid"
        );
    }
    let verdict = verdict_of(&report, "say_hello").expect("a verdict");
    assert!(
        verdict.contains("setuid(0): Operation not permitted"),
        "{verdict}"
    );
    assert!(verdict.contains("Permission denied"), "{verdict}");
}

fn rustix_is_root() -> bool {
    // SAFETY: geteuid only reads this process's credentials.
    unsafe { libc::geteuid() == 0 }
}

/// A lesson file that includes a private spec and a file of `solutions/` at compile time,
/// and prints both.
fn including_lesson(private_spec: &Path, solution_file: &Path) -> String {
    format!(
        "//! A lesson that includes what it must not see.\n\
         use std::time::Duration;\n\
         const SPEC: &str = include_str!({:?});\n\
         const SOLUTION: &str = include_str!({:?});\n\
         /// Prints the loot, then does the lesson.\n\
         pub async fn say_hello() {{\n    println!(\"{{SPEC}}{{SOLUTION}}\");\n    println!(\"Hello\");\n    tokio::time::sleep(Duration::from_secs(1)).await;\n    println!(\"World\");\n}}\n",
        private_spec.display().to_string(),
        solution_file.display().to_string()
    )
}

#[test]
fn include_str_of_private_specs_or_solutions_does_not_build() {
    require_landlock();
    let Some(_serial) = serial("hostile::include_str_of_private_specs_or_solutions_does_not_build")
    else {
        return;
    };
    let private = private_specs();
    let copy = copy_workspace();
    let solution_secret = "SOLUTION-MARKER-51be0d";
    let solution_file = copy.path().join("solutions/src/marker.txt");
    std::fs::write(&solution_file, solution_secret).expect("solution marker");
    let lesson = copy.path().join("exercises/src/01_say_hello.rs");
    std::fs::write(
        &lesson,
        including_lesson(
            &private.path().join("hidden_say_hello.toml"),
            &solution_file,
        ),
    )
    .expect("lesson");
    let private_arg = private.path().to_str().expect("utf-8 path");
    let target = common::copies_target();
    let target_arg = target.to_str().expect("utf-8 path");
    let grade = |extra: &[&str]| {
        let (mut command, stdout, stderr) = checker_command_in(
            copy.path(),
            &[
                &[
                    "--specs",
                    "specs",
                    "--specs",
                    private_arg,
                    "--format",
                    "json",
                ],
                extra,
            ]
            .concat(),
        );
        command.env("CARGO_TARGET_DIR", target_arg);
        let run = run_to_end(command, stdout, stderr);
        assert_eq!(strays(run.pid), Vec::<String>::new());
        run
    };
    let run = grade(&[]);
    assert_eq!(
        run.code,
        Some(3),
        "the build should fail:\n{}{}",
        run.stdout,
        run.stderr
    );
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains(SECRET), "the private spec leaked:\n{text}");
        assert!(
            !text.contains(solution_secret),
            "the solution leaked:\n{text}"
        );
    }
    assert!(run.stdout.contains("Permission denied"), "{}", run.stdout);
    // Without the sandbox it builds, and the lesson prints both: the test above is real.
    let run = grade(&["--sandbox", "off"]);
    assert!(
        run.stdout.contains(SECRET) && run.stdout.contains(solution_secret),
        "without the sandbox the include should work:\n{}{}",
        run.stdout,
        run.stderr
    );
}

/// The same theft behind a cfg that only a differently built runner would turn on: there is
/// one runner build (the timeline's flags included), so the include is compiled, and refused,
/// whether the run grades in human format or draws the case with `checker timeline --html`.
#[test]
fn a_cfg_gated_include_of_a_private_spec_shows_in_no_report_and_no_timeline() {
    require_landlock();
    let Some(_serial) =
        serial("hostile::a_cfg_gated_include_of_a_private_spec_shows_in_no_report_and_no_timeline")
    else {
        return;
    };
    let private = private_specs();
    let copy = copy_workspace();
    let lesson = copy.path().join("exercises/src/01_say_hello.rs");
    std::fs::write(
        &lesson,
        format!(
            "use std::time::Duration;\n\
             #[cfg(tokio_unstable)]\n\
             const SPEC: &str = include_str!({:?});\n\
             #[cfg(not(tokio_unstable))]\n\
             const SPEC: &str = \"\";\n\
             /// Prints the loot when recorded, then does the lesson.\n\
             pub async fn say_hello() {{\n    println!(\"{{SPEC}}\");\n    println!(\"Hello\");\n    tokio::time::sleep(Duration::from_secs(1)).await;\n    println!(\"World\");\n}}\n",
            private.path().join("hidden_say_hello.toml").display().to_string()
        ),
    )
    .expect("lesson");
    let private_arg = private.path().to_str().expect("utf-8 path");
    let target = common::copies_target();
    let target_arg = target.to_str().expect("utf-8 path");
    let html = copy.path().join("timeline.html");
    let html_arg = html.to_str().expect("utf-8 path");
    let run_checker = |args: &[&str]| {
        let (mut command, stdout, stderr) = checker_command_in(copy.path(), args);
        command.env("CARGO_TARGET_DIR", target_arg);
        let run = run_to_end(command, stdout, stderr);
        assert_eq!(strays(run.pid), Vec::<String>::new());
        run
    };
    let human = run_checker(&[
        "--specs",
        "specs",
        "--specs",
        private_arg,
        "--color",
        "never",
    ]);
    let drawn = run_checker(&[
        "timeline",
        "say_hello",
        "--specs",
        "specs",
        "--specs",
        private_arg,
        "--html",
        html_arg,
    ]);
    let page = std::fs::read_to_string(&html).unwrap_or_default();
    for (what, text) in [
        ("the human report", &human.stdout),
        ("its stderr", &human.stderr),
        ("the timeline command", &drawn.stdout),
        ("its stderr", &drawn.stderr),
        ("the timeline page", &page),
    ] {
        assert!(
            !text.contains(SECRET),
            "the private spec leaked into {what}:\n{text}"
        );
    }
    assert_eq!(human.code, Some(3), "{}{}", human.stdout, human.stderr);
    assert!(
        human.stdout.contains("Permission denied"),
        "the include is compiled, and refused:\n{}",
        human.stdout
    );
    assert_ne!(drawn.code, Some(0), "{}{}", drawn.stdout, drawn.stderr);
}

// ---------------------------------------------------------------------------------------------
// Resources per case (issue 22): disk as an unprivileged checker, CPU beside a neighbour.
// ---------------------------------------------------------------------------------------------

/// `setpriv`, which runs the checker as `nobody`; the test fails where it is missing.
fn setpriv() -> PathBuf {
    ["/usr/bin/setpriv", "/bin/setpriv"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("these tests need setpriv (util-linux) to run the checker as nobody")
}

/// Gives `path` and everything under it to `nobody` when `own`, else makes it readable by all.
fn open_to_nobody(path: &Path, own: bool) {
    let mut stack = vec![path.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = std::fs::symlink_metadata(&p).expect("stat");
        if own {
            std::os::unix::fs::chown(&p, Some(65534), Some(65534)).expect("chown");
        } else {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() | 0o044 | if meta.is_dir() { 0o011 } else { 0 };
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        if meta.is_dir() {
            for entry in std::fs::read_dir(&p).expect("read_dir") {
                stack.push(entry.expect("entry").path());
            }
        }
    }
}

/// Every entry under `dir`, hidden ones included, as paths.
fn everything_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&p) else {
            found.push(p.join("(unreadable)"));
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path.clone());
            }
            found.push(path);
        }
    }
    found
}

/// The disk attacks, with the checker run as `nobody` (as Gradescope's grader user, a CI
/// runner or a laptop would: not root) on a course copy that user can read, its `TMPDIR` a
/// folder of its own: each case is ended with the disk verdict, and nothing of any scratch
/// folder is left behind, though the case closed a folder (mode 000) over read-only files or
/// nested folders deeper than a path can name. With the sandbox and without it (where
/// `fallocate` is allowed and reserves a gigabyte in a millisecond).
#[test]
fn disk_is_bounded_per_case_and_scratch_always_removed_when_the_checker_is_not_root() {
    assert!(
        rustix_is_root(),
        "this test runs the checker as nobody: it must start as root"
    );
    let setpriv = setpriv();
    let Some(_serial) = serial(
        "hostile::disk_is_bounded_per_case_and_scratch_always_removed_when_the_checker_is_not_root",
    ) else {
        return;
    };
    let corpus = runner("corpus");
    let course = copy_workspace();
    open_to_nobody(course.path(), false);
    let tmp = tempfile::tempdir().expect("tempdir");
    open_to_nobody(tmp.path(), true);
    let mut failures = Vec::new();
    for (variant, expect) in [
        ("fill_disk", "more disk than a case may"),
        ("unnamed_files", "more disk than a case may"),
        ("deep_folders", "nested folders"),
        ("many_files", "more files and folders"),
    ] {
        for sandbox in ["best-effort", "off"] {
            let stdout = tempfile::NamedTempFile::new().expect("stdout file");
            let stderr = tempfile::NamedTempFile::new().expect("stderr file");
            let mut command = Command::new(&setpriv);
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(assert_cmd::cargo::cargo_bin("checker"))
                .args(["--runner", corpus.to_str().expect("utf-8 path")])
                .args(["--variant", variant, "--format", "json", "--no-timeline"])
                .args(["--sandbox", sandbox])
                .current_dir(course.path())
                .env_clear()
                .env("PATH", "/usr/bin:/bin")
                .env("HOME", "/nonexistent")
                .env("TMPDIR", tmp.path())
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .stdout(stdout.reopen().expect("reopen"))
                .stderr(stderr.reopen().expect("reopen"));
            let run = run_to_end(command, stdout, stderr);
            let what = format!("{variant} (--sandbox {sandbox})");
            for stray in strays(run.pid) {
                failures.push(format!("{what}: left a process behind: {stray}"));
            }
            let left = everything_under(tmp.path());
            if !left.is_empty() {
                failures.push(format!(
                    "{what}: scratch left behind ({} entries), e.g. {:?}",
                    left.len(),
                    left.first()
                ));
                // Cleared as root, so that the next run starts from nothing.
                for entry in std::fs::read_dir(tmp.path()).expect("tmp").flatten() {
                    let _ = checker::os::scratch::remove(&entry.path());
                }
            }
            let report = report_of(&run.stdout, &run.stderr);
            match verdict_of(&report, "say_hello") {
                Some(verdict) if verdict.contains(expect) => {}
                other => failures.push(format!(
                    "{what}: the verdict does not say {expect:?}: {other:?}"
                )),
            }
            let others: Vec<(String, String)> = common::lesson_statuses(&report)
                .into_iter()
                .filter(|(id, status)| id != "say_hello" && status != "done")
                .collect();
            if !others.is_empty() {
                failures.push(format!("{what}: other lessons affected: {others:?}"));
            }
            if run.elapsed > BOUND {
                failures.push(format!("{what}: took {:?}", run.elapsed));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The seconds `grade-many` took for `student`, from its progress line on stderr.
fn graded_in(stderr: &str, student: &str) -> f64 {
    stderr
        .lines()
        .find_map(|line| {
            let rest = line.split_once(&format!("] {student}: "))?.1;
            let seconds = rest.rsplit_once(" (")?.1.strip_suffix(" s)")?;
            seconds.parse().ok()
        })
        .unwrap_or_else(|| panic!("no time for {student} in:\n{stderr}"))
}

/// A lesson file that starts `threads` spinning OS threads, then blocks: safe code.
fn spinning(signature: &str, threads: u32) -> String {
    format!(
        "//! A submission that takes every core.\nuse std::time::Duration;\n/// Spins.\npub async fn {signature} {{\n    for _ in 0..{threads} {{\n        std::thread::spawn(|| {{\n            let mut n: u64 = 0;\n            loop {{\n                n = std::hint::black_box(n.wrapping_add(1));\n            }}\n        }});\n    }}\n    std::thread::sleep(Duration::from_secs(60));\n}}\n"
    )
}

/// A CPU hog beside a neighbour in `grade-many --jobs 2`: the neighbour, the reference, is
/// graded in at most twice the time it takes beside another reference (and a second of
/// slack for a shared machine), with every point. The hog spins 200 OS threads in each case of
/// lessons 1 and 2 (five cases). Before cases were bounded as a whole tree, each ran to its
/// timeout with every core it could get: the reference took 11.2 s instead of 4.1 s (load
/// average 27 on 2 cores, other builds running); after, 4.1 s instead of 4.4 s.
#[test]
fn a_cpu_hog_does_not_slow_its_neighbour_in_grade_many_more_than_twice() {
    let Some(_serial) =
        serial("hostile::a_cpu_hog_does_not_slow_its_neighbour_in_grade_many_more_than_twice")
    else {
        return;
    };
    let files: Vec<String> = std::fs::read_dir(root().join("solutions/src"))
        .expect("solutions/src")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let classes = tempfile::tempdir().expect("tempdir");
    let write_student = |class: &str, student: &str| {
        let dir = classes.path().join(class).join(student);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for file in &files {
            std::fs::copy(root().join("solutions/src").join(file), dir.join(file)).expect("copy");
        }
        dir
    };
    // Submissions are graded in name order, two at a time: `a-...` and `b-filler` start at
    // once, and `reference` takes `b-filler`'s place when it is done, while `a-...` still
    // runs: so the reference is graded, build and cases, beside the hog at its worst.
    for class in ["pair", "hog"] {
        write_student(class, "b-filler");
        write_student(class, "reference");
    }
    write_student("pair", "a-first");
    let hog = write_student("hog", "a-hog");
    std::fs::write(hog.join("01_say_hello.rs"), spinning("say_hello()", 200)).expect("hog");
    let greet = std::fs::read_to_string(hog.join("02_greet.rs")).expect("greet");
    let greet = greet.replacen(
        "pub async fn greet(name: &str) {\n",
        "pub async fn greet(name: &str) {\n    spin().await;\n",
        1,
    ) + &spinning("spin()", 200);
    std::fs::write(hog.join("02_greet.rs"), greet).expect("hog");
    let work = root().join("target/hostile-class-work");
    let runs = std::cell::Cell::new(0);
    let grade = |class: &str| {
        // A new report folder each time: grade-many grades nothing again into the same one.
        runs.set(runs.get() + 1);
        let out = classes.path().join(format!("{class}-out-{}", runs.get()));
        let output = common::checker()
            .arg("grade-many")
            .arg(classes.path().join(class))
            .arg("--out")
            .arg(&out)
            .arg("--work")
            .arg(&work)
            .args(["--jobs", "2"])
            .output()
            .expect("grade-many runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        let report: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join("students/reference.json")).expect("report"),
        )
        .expect("json");
        (stderr, report)
    };
    // Once, so that the workers' first build (the course's dependencies) is not measured.
    let _ = grade("pair");
    let (pair, pair_report) = grade("pair");
    let (beside_hog, hog_report) = grade("hog");
    let alone = graded_in(&pair, "reference");
    let hogged = graded_in(&beside_hog, "reference");
    eprintln!("the reference took {alone:.1} s beside a reference, {hogged:.1} s beside the hog");
    for report in [&pair_report, &hog_report] {
        let statuses = common::lesson_statuses(report);
        assert!(
            statuses.iter().all(|(_, s)| s == "done"),
            "the reference lost points: {statuses:?}"
        );
    }
    assert!(
        hogged <= 2.0 * alone + 1.0,
        "the hog slowed its neighbour from {alone:.1} s to {hogged:.1} s"
    );
}

#[test]
fn a_case_whose_server_is_killed_is_run_again_and_keeps_its_verdict() {
    let Some(_serial) =
        serial("hostile::a_case_whose_server_is_killed_is_run_again_and_keeps_its_verdict")
    else {
        return;
    };
    let corpus = runner("corpus");
    let specs = specs_with_say_hello_timeout("3s");
    let args = |report: &Path| {
        vec![
            "--runner".to_owned(),
            corpus.to_str().expect("utf-8 path").to_owned(),
            "--variant".into(),
            "thread_sleep_hour".into(),
            "--specs".into(),
            specs.path().to_str().expect("utf-8 path").to_owned(),
            "--format".into(),
            "json".into(),
            "--output".into(),
            report.to_str().expect("utf-8 path").to_owned(),
            "say_hello".into(),
        ]
    };
    let output = tempfile::tempdir().expect("tempdir");
    // Each case spawned: the verdict to keep.
    let spawned_report = output.path().join("spawned.json");
    let spawned_args = args(&spawned_report);
    let spawned_args: Vec<&str> = spawned_args.iter().map(String::as_str).collect();
    let (mut command, stdout, stderr) = checker_command(&spawned_args);
    command.env(checker::supervise::CASE_PROCESS_ENV, "spawn");
    let spawned = run_to_end(command, stdout, stderr);
    assert_eq!(spawned.code, Some(1), "{}", spawned.stderr);
    let text = std::fs::read_to_string(&spawned_report).expect("the report was written");
    // The status and diagnosis: the message measures real time, which varies by a tick.
    let verdict = |report: &Value| {
        let lesson = common::lesson_of(report, "say_hello");
        let case = lesson["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| c["status"] != "pass")
            .cloned();
        case.map(|c| {
            (
                c["name"].to_string(),
                c["status"].to_string(),
                c["diagnosis"].to_string(),
            )
        })
    };
    let expected = verdict(&report_of(&text, &spawned.stderr));
    assert!(expected.is_some(), "the hanging case failed: {text}");
    // Served: the server is killed while it holds the hanging case.
    let served_report = output.path().join("served.json");
    let served_args = args(&served_report);
    let served_args: Vec<&str> = served_args.iter().map(String::as_str).collect();
    let (command, _stdout, stderr) = checker_command(&served_args);
    let mut command = command;
    let mut child = command.spawn().expect("checker starts");
    let pid = child.id() as i32;
    let started = Instant::now();
    let server = loop {
        let all = processes();
        let serving = all.iter().find(|(server, state, ppid, _, command)| {
            *ppid == pid
                && state != "Z"
                && command.contains("--serve")
                && all.iter().any(|(_, s, p, ..)| p == server && s != "Z")
        });
        if let Some((server, ..)) = serving {
            break *server;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no case server held a case (this kernel may lack Landlock ABI 6)"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    // SAFETY: kill only sends a signal, to the run's case server.
    unsafe { libc::kill(server, libc::SIGKILL) };
    let status = wait_at_most(&mut child, Duration::from_secs(60));
    let stderr = std::fs::read_to_string(stderr.path()).unwrap_or_default();
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{stderr}");
    assert_eq!(strays(pid as u32), Vec::<String>::new());
    let text = std::fs::read_to_string(&served_report).expect("the report was written");
    assert_eq!(verdict(&report_of(&text, &stderr)), expected);
}
