//! The workers: their grading workspaces, made ready once, and one submission graded in one
//! of them by this very checker run as a subprocess, its report written.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::json;

use super::progress::Progress;
use super::{Done, Job, Options};
use crate::class::workspace::Worker;
use crate::class::{ClassInfo, StudentFile};
use crate::exit::{Error, ResultExt as _};
use crate::grade::message;
use crate::mirror::copy_tree;

/// The workers' workspaces, `WORK/worker-K`, ready: the first one's dependencies built
/// (by grading the course's stubs, with the very options of the batch, so that no build
/// differs), the others seeded with a copy of its target directory.
///
/// # Errors
/// A workspace cannot be made, or the checker cannot be run in it ([`Error::Build`]); the
/// grading of the course's stubs ends with a documented failure of its own, which keeps its
/// kind ([`stubs_failure`]).
pub(super) fn workers(
    root: &Path,
    options: &Options,
    jobs: usize,
    progress: &Progress,
) -> Result<Vec<Worker>, Error> {
    let count = options.jobs.clamp(1, jobs.max(1));
    let work = &options.work;
    let first = Worker::prepare(root, &work.join("worker-1")).or_fail(Error::Build)?;
    if !first.target().exists() {
        progress.note("building the course's dependencies once (the first grading workspace)");
        let exe = std::env::current_exe()
            .context("cannot find the checker's own binary")
            .or_fail(Error::Build)?;
        let (code, _, stderr) = run_checker(&first, &exe, options).or_fail(Error::Build)?;
        if let Some(kind) = stubs_failure(code) {
            return Err(kind(anyhow::anyhow!(
                "the course's own stubs could not be graded in {} (exit {code:?}): {}",
                first.root.display(),
                last_lines(&stderr, 5)
            )));
        }
    }
    let mut workers = vec![first];
    for k in 2..=count {
        let worker =
            Worker::prepare(root, &work.join(format!("worker-{k}"))).or_fail(Error::Build)?;
        if !worker.target().exists() {
            copy_tree(&workers[0].target(), &worker.target()).or_fail(Error::Build)?;
        }
        workers.push(worker);
    }
    Ok(workers)
}

/// The kind of failure the grading of the course's own stubs ended with, by the checker's
/// exit status `code` (`None`: stopped at the timeout or by a signal); `None` when it graded
/// (0, 1, or 3: a stub that does not build is graded as such). A documented failure keeps its
/// kind (2: the specs, 4: an output, 5: the machine lacks the sandbox); any other end is
/// the checker's or cargo's that could not run ([`Error::Build`]).
fn stubs_failure(code: Option<i32>) -> Option<crate::exit::Kind> {
    match code {
        Some(0 | 1 | 3) => None,
        Some(2) => Some(Error::Spec),
        Some(4) => Some(Error::Io),
        Some(5) => Some(Error::Environment),
        _ => Some(Error::Build),
    }
}

/// Runs the checker in `worker` with the JSON format; returns (exit code, the report's
/// text if written, stderr). Stopped after `options.timeout` (SIGTERM, which still writes
/// the report, then a kill).
fn run_checker(
    worker: &Worker,
    exe: &Path,
    options: &Options,
) -> anyhow::Result<(Option<i32>, Option<String>, String)> {
    // Beside the workspace, not in it: the next submission's build may read the workspace,
    // and must not read the last one's report.
    let report = worker.beside("report.json");
    let stderr_path = worker.beside("stderr.txt");
    let _ = std::fs::remove_file(&report);
    let stderr = std::fs::File::create(&stderr_path)
        .with_context(|| format!("cannot write {}", stderr_path.display()))?;
    let mut command = Command::new(exe);
    command
        .current_dir(&worker.root)
        .env("CARGO_TARGET_DIR", worker.target())
        .env("NO_COLOR", "1")
        .args([
            "--format",
            "json",
            "--no-timeline",
            "--color",
            "never",
            "--output",
        ])
        .arg(&report)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    for dir in &options.specs {
        command.arg("--specs").arg(dir);
    }
    if let Some(mode) = options.sandbox {
        command.args(["--sandbox", mode.name()]);
    }
    let mut child = command.spawn().context("cannot run the checker")?;
    // Past the timeout the checker is asked to end (it ends its cases and cargo and writes its
    // report), and killed 10 s later.
    let code = match crate::os::wait_or_stop(
        &mut child,
        options.timeout,
        Duration::from_secs(10),
        Duration::from_millis(50),
    )? {
        crate::os::Deadline::Met(status) => status.code(),
        crate::os::Deadline::Missed => None,
    };
    let report_text = std::fs::read_to_string(&report).ok();
    let stderr_text = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    Ok((code, report_text, stderr_text))
}

/// The last `n` lines of `text`, joined with ` | `.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// Grades one submission in `worker` and writes its report.
pub(super) fn grade_one(
    worker: &Worker,
    exe: &Path,
    job: &Job,
    expected: &[String],
    options: &Options,
) -> Done {
    let started = Instant::now();
    let mut info = ClassInfo {
        student: job.student.clone(),
        key: job.key.clone(),
        notes: job.collected.describe(expected),
        error: None,
        retry: false,
    };
    let files: Vec<(String, PathBuf)> = job
        .collected
        .found
        .iter()
        .map(|f| (f.lesson_file.clone(), f.path.clone()))
        .collect();
    let ran = worker
        .reset(&files)
        .and_then(|()| run_checker(worker, exe, options));
    let report = match ran {
        Err(error) => {
            info.error = Some(format!("could not be graded: {error:#}"));
            None
        }
        Ok((code, report, stderr)) => {
            let parsed = report.and_then(|r| serde_json::from_str::<serde_json::Value>(&r).ok());
            match code {
                Some(0 | 1 | 3) if parsed.is_some() => {}
                None => info.error = Some(message::class_timed_out(options.timeout.as_secs())),
                Some(code) => {
                    info.error = Some(message::class_not_graded(code, &last_lines(&stderr, 5)));
                }
            }
            parsed
        }
    };
    info.retry = info.error.is_some();
    let failed = info.error.is_some();
    let (line, unwritten) = match write_report(&job.file, report, &info) {
        Err(error) => (
            format!("{}: cannot write its report: {error}", job.student),
            Some(error),
        ),
        Ok(student) => match &info.error {
            Some(error) => (format!("{}: {error}", job.student), None),
            None => (
                format!(
                    "{}: {} points ({:.1} s)",
                    job.student,
                    crate::class::gradebook::decimal(student.total_millis()),
                    started.elapsed().as_secs_f64()
                ),
                None,
            ),
        },
    };
    Done {
        student: job.student.clone(),
        line,
        failed,
        unwritten,
    }
}

/// Writes a student's report: the checker's JSON `report` (or an empty one) with `info`
/// under its `class` key; returns it as read back.
pub(super) fn write_report(
    path: &Path,
    report: Option<serde_json::Value>,
    info: &ClassInfo,
) -> Result<StudentFile, Error> {
    let mut report = match report {
        Some(serde_json::Value::Object(map)) => map,
        _ => match json!({
            "version": crate::report::json::SCHEMA_VERSION,
            "build_errors": [],
            "summary": { "passed": 0, "failed": 0, "score": 0.0, "max_score": 0.0 },
            "lessons": [],
        }) {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        },
    };
    report.insert(
        "class".into(),
        serde_json::to_value(info).or_fail(Error::Io)?,
    );
    let value = serde_json::Value::Object(report);
    let mut text = serde_json::to_string_pretty(&value).or_fail(Error::Io)?;
    text.push('\n');
    crate::class::write_atomically(path, &text)?;
    serde_json::from_value(value).or_fail(Error::Io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stubs_grading_ends_the_batch_with_its_own_documented_status() {
        let status = |code| stubs_failure(code).map(|kind| kind(anyhow::anyhow!("")).exit_status());
        for graded in [0, 1, 3] {
            assert_eq!(status(Some(graded)), None, "{graded}");
        }
        for kept in [2, 4, 5] {
            assert_eq!(status(Some(kept)), Some(kept as u8), "{kept}");
        }
        // A timeout, a signal, an interrupt or a panic: the checker could not be run.
        for other in [None, Some(101), Some(130)] {
            assert_eq!(status(other), Some(crate::exit::BUILD), "{other:?}");
        }
    }
}
