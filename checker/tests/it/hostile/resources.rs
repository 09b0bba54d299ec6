//! Resources per case (issue 22): disk as an unprivileged checker, CPU beside a neighbour.

use super::*;

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
        "hostile::resources::disk_is_bounded_per_case_and_scratch_always_removed_when_the_checker_is_not_root",
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
    let Some(_serial) = serial(
        "hostile::resources::a_cpu_hog_does_not_slow_its_neighbour_in_grade_many_more_than_twice",
    ) else {
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
    common::seeded(work.join("worker-1/target"));
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
    let Some(_serial) = serial(
        "hostile::resources::a_case_whose_server_is_killed_is_run_again_and_keeps_its_verdict",
    ) else {
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
