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
//!
//! `key.rs` makes the content keys, `workers.rs` prepares the workers and grades one
//! submission in one, `progress.rs` shows the progress.

mod key;
mod progress;
mod workers;

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use anyhow::Context as _;

use super::shard::Shard;
use super::{ClassInfo, STUDENTS_DIR};
use crate::exit::{Error, ResultExt as _};
use crate::grade::message;
use crate::os::sandbox;
use crate::submission::{self, Collected};
use key::{course_key, reusable, submission_key};
use progress::Progress;
use workers::{grade_one, write_report};

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
    /// Whether stderr is a terminal (resolved once: [`crate::options::Machine`]): a progress
    /// bar, else one plain line per submission.
    pub progress_bar: bool,
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
    /// Why its report could not be written: the batch then ends with it, since the report
    /// read back would be an earlier run's.
    unwritten: Option<Error>,
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

/// Grades the class; writes `students/*.json` (not the gradebook: see
/// [`super::write_summaries`]).
///
/// # Errors
/// The class folder is missing or empty, the specs do not load, a grading workspace cannot
/// be made, or a report cannot be written ([`Error::Io`]). A submission that cannot be graded
/// is not an error: its report says why.
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
    let progress = Progress::new(total, options.progress_bar);
    let workers = workers::workers(root, options, jobs.len(), &progress)?;
    let exe = std::env::current_exe()
        .context("cannot find the checker's own binary")
        .or_fail(Error::Build)?;
    let queue = Mutex::new(jobs);
    let mut unwritten = None;
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
            if unwritten.is_none() {
                unwritten = done.unwritten;
            }
        }
    });
    progress.finish();
    // The other submissions were graded and their reports written (a next run reuses them).
    if let Some(error) = unwritten {
        return Err(error);
    }
    outcome.failed.sort();
    Ok(outcome)
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
}
