//! `checker bench`: the figures of docs/performance.md, measured side by side in one run.
//!
//! Every measurement runs the checker (this very binary) as a subprocess, as a user or CI
//! would, with a release build of the code under test given by `--runner`: the build is not
//! timed, process start, spec loading and the manifest are. Peak memory comes from `wait4`.
//! Figures are medians (and minimums) over `--runs` runs.
//!
//! Besides this file: `class.rs` (`--class`: a generated class with `grade-many`), `repeat.rs`
//! (`--repeat`: the same verdicts run after run) and `load.rs` (the machine's load beside
//! every figure).

pub mod class;
pub mod load;
pub mod repeat;

use std::fmt::Write as _;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::cargo_build::{self, Build};
use crate::exit::{self, Error, ResultExt};
use crate::supervise::CASE_PROCESS_ENV;
use load::Loads;
use repeat::{parse_report, repeat};

/// Options of `checker bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Runs of each timed command (the median is reported).
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
    /// Also grade the reference suite on the real clock (takes about two minutes).
    #[arg(long)]
    pub real: bool,
    /// Largest n of the scale benchmark (powers of ten from 1000).
    #[arg(long, default_value_t = 1_000_000)]
    pub scale_max: usize,
    /// Also measure edit-to-verdict latency on a copy of the workspace (builds it once).
    #[arg(long)]
    pub edit: bool,
    /// Repeat the reference suite and the corpus this many times and compare every verdict
    /// (0: skip). With `--load`, both cores are kept busy meanwhile.
    #[arg(long, default_value_t = 0)]
    pub repeat: usize,
    /// Runs of each corpus variant during `--repeat` (default: as many as `--repeat`).
    #[arg(long)]
    pub corpus_repeat: Option<usize>,
    /// Keep every core busy with another process during `--repeat`.
    #[arg(long)]
    pub load: bool,
    /// Skip the sandbox's cost (section 6).
    #[arg(long)]
    pub no_sandbox_cost: bool,
    /// Also grade a class of this many generated submissions with `grade-many`, against the
    /// naive way (a fresh copy and a cold build per submission) timed on `--class-naive` of
    /// them and extrapolated (0: skip).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub class: usize,
    /// Submissions graded the naive way for the class benchmark.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub class_naive: usize,
    /// Workers of `grade-many` in the class benchmark (default: grade-many's).
    #[arg(long, value_name = "N")]
    pub class_jobs: Option<usize>,
    /// Run only the class benchmark (with `--class N`).
    #[arg(long, requires = "class")]
    pub class_only: bool,
    /// Write the report to this file as well.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// One finished subprocess: exit status, wall time, peak resident memory (MiB), stdout.
pub(super) struct Measured {
    pub(super) code: i32,
    pub(super) wall: f64,
    pub(super) max_rss_mib: f64,
    pub(super) stdout: String,
}

/// Runs `command` to the end, measuring wall time and peak RSS (the largest of it and its
/// descendants, as the kernel reports for a waited-for child).
pub(super) fn measure(command: &mut Command) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let stdout_file = tempfile::tempfile()?;
    let (code, max_rss_mib) = crate::os::run_measured(
        command
            .stdin(Stdio::null())
            .stdout(stdout_file.try_clone()?)
            .stderr(Stdio::null()),
    )?;
    let wall = started.elapsed().as_secs_f64();
    let mut stdout = String::new();
    let mut file = stdout_file;
    file.seek(SeekFrom::Start(0))?;
    file.read_to_string(&mut stdout)?;
    Ok(Measured {
        code,
        wall,
        max_rss_mib: max_rss_mib.unwrap_or(f64::NAN),
        stdout,
    })
}

pub(super) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

pub(super) fn ms(seconds: f64) -> String {
    format!("{:.1} ms", seconds * 1000.0)
}

/// Builds `bin` of `package` in release mode.
fn release_binary(root: &Path, package: &str, bin: &str) -> anyhow::Result<PathBuf> {
    let request = cargo_build::Request {
        root,
        package,
        bin,
        release: true,
        color: false,
        sandbox: &crate::os::sandbox::Sandbox::off(),
        hidden: &[],
        untrusted: false,
    };
    match cargo_build::build(&request)? {
        Build::Built(path) => Ok(path),
        Build::Failed {
            errors,
            cargo_output,
        } => {
            let first = errors.first().map_or(cargo_output, |e| e.rendered.clone());
            anyhow::bail!("cannot build {bin}: {first}")
        }
    }
}

/// The checker binary running now.
pub(super) fn checker() -> anyhow::Result<PathBuf> {
    Ok(std::env::current_exe()?)
}

/// Runs the checker with `args` `runs` times; returns the wall times.
fn time_checker(root: &Path, args: &[&str], runs: usize) -> anyhow::Result<(Vec<f64>, Measured)> {
    time_checker_with(root, args, runs, &[])
}

/// [`time_checker`] with `env` set for the checker.
fn time_checker_with(
    root: &Path,
    args: &[&str],
    runs: usize,
    env: &[(&str, &str)],
) -> anyhow::Result<(Vec<f64>, Measured)> {
    let mut walls = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let measured = measure(
            Command::new(checker()?)
                .current_dir(root)
                .args(args)
                .envs(env.iter().copied())
                .env("NO_COLOR", "1"),
        )?;
        walls.push(measured.wall);
        last = Some(measured);
    }
    Ok((walls, last.expect("at least one run")))
}

/// Runs `checker bench`.
///
/// # Errors
/// Outside a course ([`Error::Usage`]); a runner that cannot be built or run, or a figure
/// that cannot be measured ([`Error::Build`]); the report that cannot be written
/// ([`Error::Io`]).
pub fn run(args: &BenchArgs) -> Result<u8, Error> {
    let root = crate::workspace::root()?;
    // The machine's cores, read once: the report's header, the load per core, the busy
    // processes of `--load`, a class's workers.
    let mut loads = Loads::new(crate::options::cores());
    let mut out = figures(&root, args, &mut loads).or_fail(Error::Build)?;
    emit(&mut out, args, &loads)
}

/// Measures every figure `args` asks for; returns the report (Markdown).
fn figures(root: &Path, args: &BenchArgs, loads: &mut Loads) -> anyhow::Result<String> {
    if args.class_only {
        let mut out = String::from("# checker bench\n\n");
        let _ = writeln!(
            out,
            "Machine: {} cores; checker: {}\n",
            loads.cores(),
            checker()?.display()
        );
        class_section(root, args, &mut out, loads)?;
        return Ok(out);
    }
    eprintln!("Building release runners (not timed)...");
    let reference = release_binary(root, "solutions", "solutions-runner")?;
    let corpus = release_binary(root, "corpus", "corpus-runner")?;
    let bare = release_binary(root, "asynclings-bench", "bare-wait-n")?;
    let reference_arg = reference.to_string_lossy().into_owned();
    let mut out = String::new();
    let _ = writeln!(out, "# checker bench\n");
    let _ = writeln!(
        out,
        "Machine: {} cores; checker: {}; runs per figure: {}; load average at the start: {}. Beside each figure: the 1-minute load average when it was measured (the benchmark's own processes included), and, where the OS says (Linux), the cores that *other* processes kept busy while it was measured; above {} per core (of the others, or of the load where they are unknown), other processes are measured too.\n",
        loads.cores(),
        checker()?.display(),
        args.runs,
        crate::os::load_average().map_or_else(|| "unknown".to_string(), |l| format!("{l:.2}")),
        load::BUSY_PER_CORE
    );

    // 1. The whole reference suite.
    eprintln!("Suite on the virtual clock...");
    let (walls, last) = time_checker(
        root,
        &["--runner", &reference_arg, "--format", "json"],
        args.runs,
    )?;
    anyhow::ensure!(
        last.code == 0,
        "the reference does not pass (exit {})",
        last.code
    );
    let cases = serde_json::from_str::<serde_json::Value>(&last.stdout)
        .ok()
        .and_then(|r| r["summary"]["passed"].as_u64())
        .unwrap_or(0);
    let virtual_suite = median(walls.clone());
    let _ = writeln!(out, "## 1. The reference suite ({cases} cases)\n");
    let _ = writeln!(
        out,
        "| measurement | median | min | {} |\n|---|---|---|---|",
        load::COLUMN
    );
    let suite_load = loads.note();
    let _ = writeln!(
        out,
        "| grading, virtual clock (`checker --runner <release runner>`) | {} | {} | {suite_load} |",
        ms(virtual_suite),
        ms(walls.iter().copied().fold(f64::INFINITY, f64::min))
    );
    let (walls, _) = time_checker(root, &["--solutions", "--release"], args.runs)?;
    let _ = writeln!(
        out,
        "| end to end, up-to-date build (`checker --solutions --release`) | {} | {} | {} |",
        ms(median(walls.clone())),
        ms(walls.iter().copied().fold(f64::INFINITY, f64::min)),
        loads.note()
    );
    if args.real {
        eprintln!("Suite on the real clock (about two minutes)...");
        let (walls, last) =
            time_checker(root, &["--runner", &reference_arg, "--clock", "real"], 1)?;
        let _ = writeln!(
            out,
            "| grading, real clock, one case at a time (`--clock real`, exit {}) | {:.1} s | | {} |",
            last.code,
            walls[0],
            loads.note()
        );
        let _ = writeln!(
            out,
            "\nVirtual clock is {:.0}x faster than the real clock.",
            walls[0] / virtual_suite
        );
    }
    let _ = writeln!(
        out,
        "\nAgainst a school-style real-time grader (11 s in parallel, 75 s sequential): {:.0}x and {:.0}x faster (load {suite_load}).\n",
        11.0 / virtual_suite,
        75.0 / virtual_suite
    );

    // 2. Per-case overhead.
    eprintln!("Per-case overhead...");
    let specs = tempfile::tempdir()?;
    let per_case = 200;
    let mut spec = String::from(
        "lesson = \"wait_random\"\ntitle = \"overhead\"\nfile = \"05_wait_random.rs\"\nhint = \"-\"\nfunction = \"wait_random\"\n",
    );
    for i in 0..per_case {
        let _ = write!(
            spec,
            "\n[[case]]\nname = \"case {i}\"\nargs = {{ max_delay = 0 }}\nexpect = {{ returns = 0.0 }}\n"
        );
    }
    std::fs::write(specs.path().join("overhead.toml"), spec)?;
    let specs_arg = specs.path().to_string_lossy().into_owned();
    let _ = writeln!(
        out,
        "## 2. Per-case overhead ({per_case} cases that return at once)\n"
    );
    let _ = writeln!(
        out,
        "| jobs | wall per case (median run) | {} |\n|---|---|---|",
        load::COLUMN
    );
    // Each case forked by a warm case server where the run uses them (Linux, with Landlock),
    // and each spawned, for comparison.
    let spawned = [(CASE_PROCESS_ENV, "spawn")];
    for (jobs, env, how) in [
        ("1", &[][..], ""),
        ("2", &[][..], ""),
        ("1", &spawned[..], " (spawned)"),
        ("2", &spawned[..], " (spawned)"),
    ] {
        let (walls, last) = time_checker_with(
            root,
            &[
                "--runner",
                &reference_arg,
                "--specs",
                &specs_arg,
                "--jobs",
                jobs,
            ],
            args.runs,
            env,
        )?;
        anyhow::ensure!(last.code == 0, "overhead cases fail (exit {})", last.code);
        let _ = writeln!(
            out,
            "| {jobs}{how} | {} | {} |",
            ms(median(walls) / per_case as f64),
            loads.note()
        );
    }
    out.push('\n');

    // 3. Scale.
    let _ = writeln!(
        out,
        "## 3. Scale: wait_n(n, 10), graded with every check vs bare tokio\n"
    );
    let _ = writeln!(
        out,
        "| n | checker wall | checker peak RSS | bare wall | bare peak RSS | time ratio | memory ratio | {} |\n|---|---|---|---|---|---|---|---|",
        load::COLUMN
    );
    let mut n = 1000;
    while n <= args.scale_max {
        eprintln!("Scale n = {n}...");
        let dir = tempfile::tempdir()?;
        std::fs::write(
            dir.path().join("scale.toml"),
            format!(
                "lesson = \"wait_n\"\ntitle = \"scale\"\nfile = \"06_wait_n.rs\"\nhint = \"-\"\nfunction = \"wait_n\"\ntimeout = \"120s\"\n\n\
                 [[case]]\nname = \"n = {n}\"\nargs = {{ n = {n}, max_delay = 10 }}\n\
                 [case.expect]\nlen = \"n\"\neach = \"0 ..= max_delay\"\norder = \"ascending\"\nelapsed = \"max(result)\"\nuniform = \"0 ..= max_delay\"\n"
            ),
        )?;
        let dir_arg = dir.path().to_string_lossy().into_owned();
        // Interleaved with the bare runs, so both see the same machine.
        let runs = args.runs.min(5);
        let mut graded = Vec::new();
        let mut graded_rss: f64 = 0.0;
        let mut bare_walls = Vec::new();
        let mut bare_rss: f64 = 0.0;
        for _ in 0..runs.max(1) {
            let m = measure(Command::new(checker()?).current_dir(root).args([
                "--runner",
                &reference_arg,
                "--specs",
                &dir_arg,
            ]))?;
            anyhow::ensure!(
                m.code == 0,
                "wait_n({n}) fails its checks (exit {})",
                m.code
            );
            graded.push(m.wall);
            graded_rss = graded_rss.max(m.max_rss_mib);
            let m = measure(Command::new(&bare).arg(n.to_string()))?;
            bare_walls.push(m.wall);
            bare_rss = bare_rss.max(m.max_rss_mib);
        }
        let (graded, bare_wall) = (median(graded), median(bare_walls));
        let _ = writeln!(
            out,
            "| {n} | {} | {graded_rss:.0} MiB | {} | {bare_rss:.0} MiB | {:.2} | {:.2} | {} |",
            ms(graded),
            ms(bare_wall),
            graded / bare_wall,
            graded_rss / bare_rss,
            loads.note()
        );
        n *= 10;
    }
    out.push('\n');

    if args.edit {
        edit_to_verdict(root, &mut out, loads)?;
    }
    if args.repeat > 0 {
        repeat(root, &reference_arg, &corpus, args, &mut out, loads)?;
    }
    if !args.no_sandbox_cost {
        sandbox_cost(root, &reference_arg, &specs_arg, args.runs, &mut out, loads)?;
    }
    if args.class > 0 {
        class_section(root, args, &mut out, loads)?;
    }
    Ok(out)
}

/// Section 7: a class of `--class` generated submissions ([`class`]).
fn class_section(
    root: &Path,
    args: &BenchArgs,
    out: &mut String,
    loads: &mut Loads,
) -> anyhow::Result<()> {
    class::class(
        root,
        args.class,
        args.class_naive,
        args.class_jobs,
        out,
        loads,
    )
}

/// Prints the report, ended by the warning of [`Loads::warning`] when a figure was measured on
/// a busy machine, and writes it to `--output` when given.
fn emit(out: &mut String, args: &BenchArgs, loads: &Loads) -> Result<u8, Error> {
    if let Some(warning) = loads.warning() {
        out.push_str(&warning);
        eprint!("{warning}");
    }
    crate::report::output::write_stdout(out)?;
    if let Some(path) = &args.output {
        std::fs::write(path, out)
            .with_context(|| format!("cannot write {}", path.display()))
            .or_fail(Error::Io)?;
    }
    Ok(exit::PASS)
}

/// What the sandbox adds: the same commands with `--sandbox off` and `--sandbox best-effort`
/// (all the kernel offers), interleaved so that both see the same machine: the reference
/// suite, the per-case cost, and a build of the reference after its lesson file was touched
/// (cargo rebuilds the crate and links the runner; only the mtime changes).
fn sandbox_cost(
    root: &Path,
    reference: &str,
    overhead_specs: &str,
    runs: usize,
    out: &mut String,
    loads: &mut Loads,
) -> anyhow::Result<()> {
    eprintln!("The sandbox's cost...");
    let status = {
        let m = measure(Command::new(checker()?).current_dir(root).args([
            "--runner",
            reference,
            "--format",
            "json",
            "--sandbox",
            "best-effort",
        ]))?;
        parse_report(&m.stdout)
            .ok()
            .and_then(|r| {
                serde_json::from_value::<crate::os::sandbox::Status>(r["sandbox"].clone()).ok()
            })
            .map_or_else(|| "unknown".to_string(), |s| s.to_string())
    };
    let lesson = root.join("solutions/src/01_say_hello.rs");
    let touch = || -> anyhow::Result<()> {
        std::fs::File::options()
            .append(true)
            .open(&lesson)?
            .set_modified(std::time::SystemTime::now())?;
        Ok(())
    };
    let commands: [(&str, Vec<&str>, bool); 3] = [
        (
            "reference suite, virtual clock",
            vec!["--runner", reference],
            false,
        ),
        (
            "200 cases that return at once, -j 1 (per case)",
            vec![
                "--runner",
                reference,
                "--specs",
                overhead_specs,
                "--jobs",
                "1",
            ],
            false,
        ),
        (
            "build after a touched lesson file + grade it (`--solutions say_hello`)",
            vec!["--solutions", "say_hello"],
            true,
        ),
    ];
    let _ = writeln!(out, "## 6. The sandbox's cost\n");
    let _ = writeln!(out, "With the sandbox: {status}.\n");
    let _ = writeln!(
        out,
        "| measurement | `--sandbox off` | sandboxed | added | {} |\n|---|---|---|---|---|",
        load::COLUMN
    );
    for (what, command, build) in commands {
        let (mut off, mut on) = (Vec::new(), Vec::new());
        for _ in 0..runs.max(1) {
            for (mode, walls) in [("off", &mut off), ("best-effort", &mut on)] {
                if build {
                    touch()?;
                }
                let m = measure(
                    Command::new(checker()?)
                        .current_dir(root)
                        .args(&command)
                        .args(["--format", "json", "--sandbox", mode]),
                )?;
                anyhow::ensure!(m.code == 0, "{what} fails with --sandbox {mode}");
                walls.push(m.wall);
            }
        }
        let per = if what.contains("per case") {
            200.0
        } else {
            1.0
        };
        let (off, on) = (median(off) / per, median(on) / per);
        let _ = writeln!(
            out,
            "| {what} | {} | {} | {:+.1}% | {} |",
            ms(off),
            ms(on),
            (on / off - 1.0) * 100.0,
            loads.note()
        );
    }
    out.push('\n');
    Ok(())
}

/// Edit-to-verdict: touch a lesson file, then `cargo run -p checker LESSON`, on a copy.
fn edit_to_verdict(root: &Path, out: &mut String, loads: &mut Loads) -> anyhow::Result<()> {
    eprintln!("Edit-to-verdict: copying the workspace and building it once...");
    let copy = tempfile::tempdir()?;
    crate::workspace::copy_workspace(root, copy.path())?;
    let target = root.join("target/bench-edit");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo_run = |args: &[&str]| {
        let mut command = Command::new(&cargo);
        command
            .current_dir(copy.path())
            .env("CARGO_TARGET_DIR", &target)
            .args(args);
        measure(&mut command)
    };
    cargo_run(&["build", "-q", "-p", "checker", "-p", "exercises"])?;
    let lesson = copy.path().join("exercises/src/01_say_hello.rs");
    let (mut total, mut build) = (Vec::new(), Vec::new());
    for round in 0..5 {
        // An edit: the file's text changes (a comment), so cargo must rebuild the lesson.
        let text = std::fs::read_to_string(&lesson)?;
        std::fs::write(&lesson, format!("{text}\n// edit {round}\n"))?;
        total.push(cargo_run(&["run", "-q", "-p", "checker", "--", "say_hello"])?.wall);
        std::fs::write(&lesson, format!("{text}\n// edit {round} again\n"))?;
        build.push(
            cargo_run(&[
                "build",
                "-q",
                "-p",
                "exercises",
                "--bin",
                "exercises-runner",
            ])?
            .wall,
        );
    }
    let _ = writeln!(
        out,
        "## 4. Edit-to-verdict (a comment added to a lesson file)\n"
    );
    let _ = writeln!(
        out,
        "| measurement | median | {} |\n|---|---|---|",
        load::COLUMN
    );
    let load = loads.note();
    let _ = writeln!(
        out,
        "| `cargo run -p checker say_hello` after the edit | {} | {load} |",
        ms(median(total))
    );
    let _ = writeln!(
        out,
        "| of which: rebuilding the exercises runner alone | {} | {load} |\n",
        ms(median(build))
    );
    Ok(())
}
