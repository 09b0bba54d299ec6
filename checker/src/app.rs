//! One run of the checker, from the command line to the exit status.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use asynclings_runner::protocol::{ClockMode, FunctionInfo};

use crate::cargo_build::{self, Build, CompileError};
use crate::cli::{Cli, Clock, Format};
use crate::grade::{self, Settings};
use crate::report::human::{self, Context};
use crate::report::json;
use crate::report::style::Style;
use crate::results::{CaseResult, LessonResult, Status};
use crate::spec::{self, Lesson, LoadError};
use crate::supervise::Runner;
use crate::workspace;

/// Every case passed.
pub const EXIT_PASS: u8 = 0;
/// Some case failed.
pub const EXIT_FAIL: u8 = 1;
/// Usage or spec error.
pub const EXIT_USAGE: u8 = 2;
/// The code under test does not build.
pub const EXIT_BUILD: u8 = 3;

/// Runs the checker; returns the exit status.
pub fn run(cli: Cli) -> ExitCode {
    match try_run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("checker: {error:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Loads the specs, printing every problem; `None` when there were problems.
pub fn load_specs(dirs: &[PathBuf]) -> anyhow::Result<Vec<Lesson>> {
    match spec::load_dirs(dirs) {
        Ok(lessons) => Ok(lessons),
        Err(LoadError::Directory(message)) => anyhow::bail!("{message}"),
        Err(LoadError::Invalid(errors)) => {
            for error in &errors {
                eprintln!("error: {error}\n");
            }
            anyhow::bail!(
                "{} problem(s) in the specs; nothing was graded",
                errors.len()
            )
        }
    }
}

fn select<'a>(lessons: &'a [Lesson], wanted: &str) -> anyhow::Result<&'a Lesson> {
    lessons
        .iter()
        .find(|l| {
            l.id == wanted || l.number.to_string() == wanted || format!("{:02}", l.number) == wanted
        })
        .ok_or_else(|| {
            let known: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
            anyhow::anyhow!(
                "no lesson `{wanted}`; the lessons are: {}",
                known.join(", ")
            )
        })
}

fn try_run(cli: &Cli) -> anyhow::Result<u8> {
    let root = workspace::find_root().ok_or_else(|| {
        anyhow::anyhow!("cannot find the course workspace (a Cargo.toml with [workspace] next to specs/) from here or above")
    })?;
    let spec_dirs = if cli.specs.is_empty() {
        vec![root.join("specs")]
    } else {
        cli.specs.clone()
    };
    let mut lessons = load_specs(&spec_dirs)?;
    if let Some(wanted) = &cli.lesson {
        lessons = vec![select(&lessons, wanted)?.clone()];
    }
    let style = Style {
        color: cli.color.enabled(),
    };
    let package = match (&cli.package, cli.solutions) {
        (Some(package), _) => package.clone(),
        (None, true) => "solutions".to_string(),
        (None, false) => "exercises".to_string(),
    };
    let clock = match cli.clock {
        Clock::Virtual => ClockMode::Virtual,
        Clock::Real => ClockMode::Real,
    };
    let mut context = Context {
        subject: cli
            .variant
            .as_ref()
            .map_or(package.clone(), |v| format!("{package} ({v})")),
        clock: format!("{:?}", cli.clock).to_lowercase(),
        stray_compile_errors: Vec::new(),
        interrupted: false,
    };
    let src_dir = root.join(&package).join("src");
    let runner_path = match &cli.runner {
        Some(path) => path.clone(),
        None => match cargo_build::build(
            &root,
            &package,
            &format!("{package}-runner"),
            cli.release,
            style.color,
        )? {
            Build::Built(path) => path,
            Build::Failed {
                errors,
                cargo_output,
            } => {
                let results = does_not_compile(&lessons, &errors, &src_dir, &root, &mut context);
                if errors.is_empty() {
                    context
                        .stray_compile_errors
                        .push(format!("cargo could not build {package}:\n{cargo_output}"));
                }
                emit(cli, &results, &context, style)?;
                return Ok(EXIT_BUILD);
            }
        },
    };
    let runner = Runner {
        path: runner_path,
        variant: cli.variant.clone(),
    };
    let manifest = read_manifest(&runner)?;
    let settings = Settings {
        runner,
        manifest,
        clock,
        jobs: cli.jobs.unwrap_or(match clock {
            ClockMode::Virtual => std::thread::available_parallelism().map_or(2, |n| n.get()),
            ClockMode::Real => 1,
        }),
        root: root.clone(),
        src_dir,
    };
    let results = grade::grade(&lessons, &settings, &|_| {});
    emit(cli, &results, &context, style)?;
    let all_pass = results
        .iter()
        .flat_map(|l| &l.cases)
        .all(|c| c.status == Status::Pass);
    Ok(if all_pass { EXIT_PASS } else { EXIT_FAIL })
}

/// Writes the report in the chosen format, to stdout or `--output`.
fn emit(
    cli: &Cli,
    results: &[LessonResult],
    context: &Context,
    style: Style,
) -> anyhow::Result<()> {
    let text = match cli.format {
        Format::Human => human::render(
            results,
            context,
            if cli.output.is_some() {
                Style { color: false }
            } else {
                style
            },
        ),
        Format::Json => json::render(
            results,
            &context.subject,
            &context.clock,
            context.interrupted,
        ),
    };
    match &cli.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("cannot write the report to {}: {e}", path.display())),
        None => write_stdout(&text),
    }
}

/// Writes to stdout; a reader that went away (`checker | head`) is not an error.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| anyhow::anyhow!("cannot write the report: {e}")),
    }
}

/// Asks the runner what it can call.
pub fn read_manifest(runner: &Runner) -> anyhow::Result<Vec<FunctionInfo>> {
    let mut command = std::process::Command::new(&runner.path);
    command.arg("--manifest").stdin(std::process::Stdio::null());
    if let Some(variant) = &runner.variant {
        command.env(asynclings_runner::VARIANT_ENV, variant);
    }
    let output = run_with_timeout(command, Duration::from_secs(20))
        .map_err(|e| anyhow::anyhow!("cannot run {} --manifest: {e}", runner.path.display()))?;
    if !output.status.success() {
        anyhow::bail!(
            "{} --manifest failed: {}",
            runner.path.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        anyhow::anyhow!(
            "{} --manifest printed no manifest: {e}",
            runner.path.display()
        )
    })
}

fn run_with_timeout(
    mut command: std::process::Command,
    limit: Duration,
) -> std::io::Result<std::process::Output> {
    command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = command.spawn()?;
    let id = child.id();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(child.wait_with_output());
    });
    receive.recv_timeout(limit).unwrap_or_else(|_| {
        // SAFETY: kill only sends a signal to the child we started.
        unsafe { libc::kill(id as i32, libc::SIGKILL) };
        Err(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "no answer in time",
        ))
    })
}

/// Results for a build that failed: each lesson's compiler errors, every case an error.
fn does_not_compile(
    lessons: &[Lesson],
    errors: &[CompileError],
    src_dir: &Path,
    root: &Path,
    context: &mut Context,
) -> Vec<LessonResult> {
    let in_file = |error: &CompileError, lesson: &Lesson| {
        error
            .file
            .as_deref()
            .is_some_and(|f| Path::new(f).file_name() == Some(lesson.file.as_ref()))
    };
    for error in errors {
        if !lessons.iter().any(|l| in_file(error, l)) {
            context.stray_compile_errors.push(error.rendered.clone());
        }
    }
    lessons
        .iter()
        .map(|lesson| {
            let compile_errors: Vec<CompileError> = errors
                .iter()
                .filter(|e| in_file(e, lesson))
                .cloned()
                .collect();
            let why = if compile_errors.is_empty() {
                "not graded: the code does not compile (see the lesson that fails to compile)"
            } else {
                "this lesson's file does not compile"
            };
            LessonResult {
                number: lesson.number,
                id: lesson.id.clone(),
                title: lesson.title.clone(),
                file: grade::shown(&src_dir.join(&lesson.file), root),
                hint: lesson.hint.clone(),
                cases: lesson
                    .cases
                    .iter()
                    .map(|c| {
                        CaseResult::new(&c.name, &c.function, Status::Error, c.points, c.hidden)
                            .with_message(why)
                    })
                    .collect(),
                compile_errors,
            }
        })
        .collect()
}
