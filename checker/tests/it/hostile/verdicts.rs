//! Every hostile submission gets a verdict that names it; what a run leaves behind (a
//! deleted spec restored, no descriptor of the checker reached, Ctrl-C) is checked.

use super::*;

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
    let Some(_serial) =
        serial("hostile::verdicts::every_hostile_submission_gets_a_verdict_that_names_it")
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
    let Some(_serial) = serial("hostile::verdicts::a_deleted_spec_file_is_really_restored") else {
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
    let Some(_serial) = serial(
        "hostile::verdicts::descriptors_the_checker_inherits_do_not_reach_the_code_under_test",
    ) else {
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
    let Some(_serial) =
        serial("hostile::verdicts::ctrl_c_ends_the_run_at_once_and_keeps_what_finished")
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
