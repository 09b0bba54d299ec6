//! The sandbox (issue 13). These need Landlock (ABI 6 or later) and, where said, root: they
//! fail rather than skip where either is missing, since the guarantee they prove would not
//! hold.

use super::*;

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
        "hostile::sandbox::hidden_cases_do_not_reach_any_output_of_a_case_that_reads_the_private_specs",
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
    let Some(_serial) = serial("hostile::sandbox::no_tcp_connection_leaves_a_case") else {
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
    let Some(_serial) =
        serial("hostile::sandbox::a_case_plants_no_file_in_home_tmp_specs_or_target")
    else {
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
    let Some(_serial) =
        serial("hostile::sandbox::the_sandbox_stops_what_the_checker_would_otherwise_mend")
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
    let Some(_serial) = serial("hostile::sandbox::cases_run_unprivileged_and_cannot_get_root_back")
    else {
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
    let Some(_serial) =
        serial("hostile::sandbox::include_str_of_private_specs_or_solutions_does_not_build")
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
    let target = common::target_of(copy.path());
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
    let Some(_serial) = serial(
        "hostile::sandbox::a_cfg_gated_include_of_a_private_spec_shows_in_no_report_and_no_timeline",
    ) else {
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
    let target = common::target_of(copy.path());
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
