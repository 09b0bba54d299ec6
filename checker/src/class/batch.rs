//! Grades every submission of a class folder (`checker grade-many`).
//!
//! Each submission (a folder of SUBMISSIONS, named after its student) is collected
//! (`crate::submission`), put into a worker's grading workspace over the course's stubs
//! ([`super::workspace`]), and graded by this very checker run as a subprocess there, with
//! the course's specs and the JSON format: a crash, a hang or a hostile submission ends that
//! subprocess, never the batch, and the student's JSON report says what happened. The first
//! worker builds the dependencies once (grading the course's own stubs); the others start from
//! a copy of its target directory. A submission whose content key (lesson files, course,
//! checker, options) is unchanged since its report was written is not graded again.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use super::shard::Shard;
use super::workspace::{Worker, copy_tree};
use super::{ClassInfo, Fnv, STUDENTS_DIR, StudentFile};
use crate::exit::{Error, ResultExt as _};
use crate::grade::message;
use crate::os::sandbox;
use crate::submission::{self, Collected};

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The class folder: one folder per student.
    pub submissions: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Where the workers' workspaces live (`OUT/.work` by default): one run at a time each.
    pub work: PathBuf,
    /// Spec directories given (`--specs`), absolute; empty: the course's `specs/`.
    pub specs: Vec<PathBuf>,
    /// Workers, each with its own grading workspace and build (at least 1).
    pub jobs: usize,
    /// Grade only this share of the class.
    pub shard: Option<Shard>,
    /// Longest a submission may take to build and grade.
    pub timeout: Duration,
    /// `--sandbox` for each grading run (`None`: the checker's default).
    pub sandbox: Option<sandbox::Mode>,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Students of this run (this shard's), sorted.
    pub students: Vec<String>,
    /// Submissions graded now.
    pub graded: usize,
    /// Submissions whose report was kept: unchanged since it was written.
    pub reused: usize,
    /// Students whose submission could not be graded (their report says why).
    pub failed: Vec<String>,
    /// Folders of SUBMISSIONS left to other shards.
    pub other_shards: usize,
}

/// One student's submission.
#[derive(Debug, Clone)]
struct Job {
    student: String,
    file: PathBuf,
    collected: Collected,
    key: String,
}

/// What became of one job, for the progress display.
struct Done {
    student: String,
    line: String,
    failed: bool,
}

/// Says what a student's submission could not be graded for when no lesson file was found.
pub const NOTHING_FOUND: &str = message::CLASS_NOTHING_FOUND;

/// The folders of `submissions`, one per student: `(name, path)`, sorted by name. Hidden
/// entries (`.git`, `.DS_Store`), `__MACOSX` and loose files are not students.
///
/// # Errors
/// The folder is missing, is not a folder, or holds no student folder: the error says where
/// and what a class folder looks like.
pub fn students(submissions: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let layout = "a class folder holds one folder per student, named after the student (for example submissions/alice/, submissions/bob/), each with that student's lesson files in any layout";
    if !submissions.exists() {
        anyhow::bail!("{} does not exist: {layout}", submissions.display());
    }
    let entries = std::fs::read_dir(submissions).with_context(|| {
        format!(
            "{} is not a folder that can be read: {layout}",
            submissions.display()
        )
    })?;
    let mut students = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !name.starts_with('.') && name != "__MACOSX" {
            students.push((name, entry.path()));
        }
    }
    students.sort();
    if students.is_empty() {
        anyhow::bail!(
            "{} holds no student folder, so there is nothing to grade: {layout}",
            submissions.display()
        );
    }
    Ok(students)
}

/// The part of every content key that is the course's: the checker (version, and its
/// binary's size and time), the specs, the course's stubs and runner, and the options that
/// change a grade.
fn course_key(root: &Path, spec_dirs: &[PathBuf], options: &Options) -> anyhow::Result<Fnv> {
    let mut key = Fnv::default();
    key.field(env!("CARGO_PKG_VERSION").as_bytes());
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        key.field(&meta.len().to_le_bytes());
        let modified = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        key.field(&modified.as_nanos().to_le_bytes());
    }
    key.field(format!("{:?} {:?}", options.sandbox, options.timeout).as_bytes());
    let specs = crate::spec::spec_files(spec_dirs).map_err(|e| anyhow::anyhow!("{e}"))?;
    for file in specs {
        key.field(file.to_string_lossy().as_bytes());
        key.field(
            &std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?,
        );
    }
    for dir in ["exercises", "runner"] {
        hash_tree(&root.join(dir), &mut key)?;
    }
    Ok(key)
}

/// Adds every file under `dir` (names and bytes, in name order, without `target/`).
fn hash_tree(dir: &Path, key: &mut Fnv) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let kind = entry.file_type()?;
        key.field(entry.file_name().as_encoded_bytes());
        if kind.is_dir() && entry.file_name() != "target" {
            hash_tree(&entry.path(), key)?;
        } else if kind.is_file() {
            key.field(&std::fs::read(entry.path())?);
        }
    }
    Ok(())
}

/// A submission's content key: the course's, then each lesson file used, name and bytes.
fn submission_key(course: Fnv, collected: &Collected) -> String {
    let mut key = course;
    for found in &collected.found {
        key.field(found.lesson_file.as_bytes());
        key.field(&std::fs::read(&found.path).unwrap_or_default());
    }
    format!("{:016x}", key.finish())
}

/// The report file of `student` in `out`.
pub fn student_file(out: &Path, student: &str) -> PathBuf {
    let mut name = OsString::from(student);
    name.push(".json");
    out.join(STUDENTS_DIR).join(name)
}

/// Keeps the lesson files used of `student`'s submission beside their report
/// (`students/NAME.src/`), for similarity, which a merge of shards computes again from the
/// output folders alone.
///
/// # Errors
/// A file cannot be copied.
fn keep_sources(out: &Path, student: &str, collected: &Collected) -> anyhow::Result<()> {
    let dir = super::similarity::sources_dir(out, student);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("cannot empty {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot make {}", dir.display()))?;
    for found in &collected.found {
        let target = dir.join(&found.lesson_file);
        std::fs::copy(&found.path, &target).with_context(|| {
            format!(
                "cannot copy {} to {}",
                found.path.display(),
                target.display()
            )
        })?;
    }
    Ok(())
}

/// Whether the report at `path` can be kept: written with `key`, and not a failed run.
fn reusable(path: &Path, key: &str) -> bool {
    super::read_student(path).is_ok_and(|s| s.class.key == key && !s.class.retry)
}

/// Grades the class; writes `students/*.json` (not the gradebook: see
/// [`super::write_summaries`]).
///
/// # Errors
/// The class folder is missing or empty, the specs do not load, or a grading workspace
/// cannot be made. A submission that cannot be graded is not an error: its report says why.
pub fn run(root: &Path, options: &Options) -> Result<Outcome, Error> {
    // An output or work folder inside the class folder is not a student.
    let ours: Vec<PathBuf> = [&options.out, &options.work]
        .iter()
        .filter_map(|d| std::fs::canonicalize(d).ok())
        .collect();
    let all: Vec<(String, PathBuf)> = students(&options.submissions)
        .or_fail(Error::Usage)?
        .into_iter()
        .filter(|(_, dir)| std::fs::canonicalize(dir).is_ok_and(|d| !ours.contains(&d)))
        .collect();
    let spec_dirs = crate::spec::spec_dirs(root, &options.specs);
    let lessons = crate::spec::load_specs(&spec_dirs)?;
    let mut expected: Vec<String> = lessons.iter().map(|l| l.file.clone()).collect();
    expected.dedup();
    let course = course_key(root, &spec_dirs, options).or_fail(Error::Spec)?;
    std::fs::create_dir_all(options.out.join(STUDENTS_DIR))
        .with_context(|| format!("cannot make {}", options.out.join(STUDENTS_DIR).display()))
        .or_fail(Error::Io)?;

    let mut outcome = Outcome::default();
    let mut jobs = VecDeque::new();
    for (student, dir) in all {
        if options.shard.is_some_and(|s| !s.contains(&student)) {
            outcome.other_shards += 1;
            continue;
        }
        let collected = submission::collect_all(&[dir], &expected);
        let key = submission_key(course, &collected);
        let file = student_file(&options.out, &student);
        keep_sources(&options.out, &student, &collected).or_fail(Error::Io)?;
        outcome.students.push(student.clone());
        if reusable(&file, &key) {
            outcome.reused += 1;
            if super::read_student(&file).is_ok_and(|s| s.class.error.is_some()) {
                outcome.failed.push(student);
            }
            continue;
        }
        if collected.found.is_empty() {
            // Nothing to build: the report says what was received and what was expected.
            let info = ClassInfo {
                student: student.clone(),
                key,
                notes: collected.describe(&expected),
                error: Some(NOTHING_FOUND.to_string()),
                retry: false,
            };
            write_report(&file, None, &info)?;
            outcome.graded += 1;
            outcome.failed.push(student);
            continue;
        }
        jobs.push_back(Job {
            student,
            file,
            collected,
            key,
        });
    }
    if jobs.is_empty() {
        outcome.failed.sort();
        return Ok(outcome);
    }

    let total = jobs.len();
    let progress = Progress::new(total);
    let workers = workers(root, options, jobs.len(), &progress).or_fail(Error::Build)?;
    let exe = std::env::current_exe()
        .context("cannot find the checker's own binary")
        .or_fail(Error::Build)?;
    let queue = Mutex::new(jobs);
    let (sender, receiver) = mpsc::channel::<Done>();
    std::thread::scope(|scope| {
        for worker in &workers {
            let (queue, sender, exe) = (&queue, sender.clone(), &exe);
            let expected = &expected;
            scope.spawn(move || {
                loop {
                    let job = match queue.lock() {
                        Ok(mut queue) => queue.pop_front(),
                        Err(_) => None,
                    };
                    let Some(job) = job else { break };
                    let done = grade_one(worker, exe, &job, expected, options);
                    if sender.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for done in receiver {
            outcome.graded += 1;
            if done.failed {
                outcome.failed.push(done.student.clone());
            }
            progress.done(&done.line);
        }
    });
    progress.finish();
    outcome.failed.sort();
    Ok(outcome)
}

/// The workers' workspaces, `WORK/worker-K`, ready: the first one's dependencies built
/// (by grading the course's stubs, with the very options of the batch, so that no build
/// differs), the others seeded with a copy of its target directory.
fn workers(
    root: &Path,
    options: &Options,
    jobs: usize,
    progress: &Progress,
) -> anyhow::Result<Vec<Worker>> {
    let count = options.jobs.clamp(1, jobs.max(1));
    let work = &options.work;
    let first = Worker::prepare(root, &work.join("worker-1"))?;
    if !first.target().exists() {
        progress.note("building the course's dependencies once (the first grading workspace)");
        let exe = std::env::current_exe().context("cannot find the checker's own binary")?;
        let (code, _, stderr) = run_checker(&first, &exe, options)?;
        anyhow::ensure!(
            matches!(code, Some(0..=3)),
            "the course's own stubs could not be graded in {} (exit {code:?}): {}",
            first.root.display(),
            last_lines(&stderr, 5)
        );
    }
    let mut workers = vec![first];
    for k in 2..=count {
        let worker = Worker::prepare(root, &work.join(format!("worker-{k}")))?;
        if !worker.target().exists() {
            copy_tree(&workers[0].target(), &worker.target())?;
        }
        workers.push(worker);
    }
    Ok(workers)
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
fn grade_one(
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
    let line = match write_report(&job.file, report, &info) {
        Err(error) => format!("{}: cannot write its report: {error:#}", job.student),
        Ok(student) => match &info.error {
            Some(error) => format!("{}: {error}", job.student),
            None => format!(
                "{}: {} points ({:.1} s)",
                job.student,
                super::gradebook::decimal(student.total_millis()),
                started.elapsed().as_secs_f64()
            ),
        },
    };
    Done {
        student: job.student.clone(),
        line,
        failed,
    }
}

/// Writes a student's report: the checker's JSON `report` (or an empty one) with `info`
/// under its `class` key; returns it as read back.
fn write_report(
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
    super::write_atomically(path, &text)?;
    serde_json::from_value(value).or_fail(Error::Io)
}

/// Progress on stderr: a bar with an ETA on a terminal, one plain line per submission
/// otherwise (CI logs).
struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: std::sync::atomic::AtomicUsize,
}

impl Progress {
    fn new(total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let style = ProgressStyle::with_template(
                "{spinner} {elapsed:>4} [{bar:24}] {pos}/{len} submissions, ETA {eta}  {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▌░");
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
                    .with_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            total,
            done: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(text.to_string()),
            None => eprintln!("grade-many: {text}"),
        }
    }

    fn done(&self, line: &str) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => {
                bar.set_position(done as u64);
                bar.set_message(crate::report::safe::line(line));
            }
            None => eprintln!(
                "grade-many: [{done}/{}] {}",
                self.total,
                crate::report::safe::line(line)
            ),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_empty_class_folder_says_where_and_what() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let error = students(&missing).unwrap_err().to_string();
        assert!(
            error.contains("nope") && error.contains("does not exist"),
            "{error}"
        );
        assert!(error.contains("one folder per student"), "{error}");
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        std::fs::create_dir(dir.path().join("__MACOSX")).unwrap();
        let error = students(dir.path()).unwrap_err().to_string();
        assert!(error.contains("holds no student folder"), "{error}");
        std::fs::create_dir(dir.path().join("bob")).unwrap();
        std::fs::create_dir(dir.path().join("alice")).unwrap();
        let names: Vec<String> = students(dir.path())
            .unwrap()
            .into_iter()
            .map(|s| s.0)
            .collect();
        assert_eq!(names, ["alice", "bob"]);
    }

    #[test]
    fn the_key_changes_with_a_lesson_file_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("06_wait_n.rs");
        std::fs::write(&file, "one").unwrap();
        let expected = ["06_wait_n.rs".to_string()];
        let course = *Fnv::default().field(b"course");
        let key = |c: Fnv| submission_key(c, &submission::collect(dir.path(), &expected));
        let first = key(course);
        assert_eq!(key(course), first);
        std::fs::write(&file, "two").unwrap();
        assert_ne!(key(course), first);
        assert_ne!(key(*Fnv::default().field(b"other course")), key(course));
    }
}
