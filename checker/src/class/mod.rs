//! Grading a whole class: `checker grade-many` and `checker merge`.
//!
//! A class is a folder holding one folder per student (the folder's name is the student's).
//! [`batch`] grades each submission against the instructor's course in a pool of worker
//! workspaces ([`workspace`]) and writes one JSON report per student; [`shard`] picks a
//! stable share of the students for one CI job; [`gradebook`] and [`dashboard`] read the
//! students' reports back ([`StudentFile`]) and write `gradebook.csv` and `dashboard.html`.

pub mod args;
pub mod batch;
pub mod clusters;
pub mod csv;
pub mod dashboard;
pub mod feedback;
pub mod gradebook;
pub mod host;
pub mod lms;
pub mod roster;
pub mod sections;
pub mod shard;
pub mod similarity;
pub mod tokens;
pub mod workspace;

use std::path::{Path, PathBuf};

use crate::exit::{Error, ResultExt as _};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::results::{LessonStatus, Status};

/// The folder of the students' JSON reports in an output folder.
pub const STUDENTS_DIR: &str = "students";
/// The gradebook's file name in an output folder.
pub const GRADEBOOK: &str = "gradebook.csv";
/// The dashboard's file name in an output folder.
pub const DASHBOARD: &str = "dashboard.html";

/// What grading a class adds to a student's JSON report, under its `class` key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassInfo {
    /// The student: the name of their submission folder.
    pub student: String,
    /// The content key: lesson files, course and checker it was graded with (hex). A
    /// submission whose key is unchanged is not graded again.
    pub key: String,
    /// What `checker collect` used of the submission, chose, and found missing.
    pub notes: String,
    /// Why the submission could not be graded (the report is then empty or partial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Whether the next run grades it again although its key is unchanged: the grading run
    /// failed (a timeout, a crash), which may not happen again.
    #[serde(default)]
    pub retry: bool,
}

/// One student's JSON report as the gradebook and the dashboard read it: the checker's JSON
/// report (`docs/results.md`) with its `class` key, its statuses read by serde into the types
/// that wrote them ([`LessonStatus`], [`Status`]). Unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct StudentFile {
    /// Who, and how the submission was collected.
    pub class: ClassInfo,
    /// Build errors that belong to no lesson file.
    #[serde(default)]
    pub build_errors: Vec<String>,
    /// The lessons, in course order (empty when the submission could not be graded).
    #[serde(default)]
    pub lessons: Vec<LessonView>,
}

/// A lesson of a student's report.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LessonView {
    /// Position in the course, from 1.
    pub number: usize,
    /// Id (`wait_n`).
    pub id: String,
    /// How it stands.
    pub status: LessonStatus,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// The first diagnosis of the first failing case.
    #[serde(default)]
    pub headline: Option<String>,
    /// The compiler's errors in its file.
    #[serde(default)]
    pub compile_errors: Vec<CompileErrorView>,
    /// Its cases, in spec order.
    #[serde(default)]
    pub cases: Vec<CaseView>,
}

/// A case of a student's report.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct CaseView {
    /// The case's name.
    pub name: String,
    /// Its verdict.
    pub status: Status,
    /// Points earned.
    pub points: f64,
    /// Points it is worth.
    pub max_points: f64,
    /// What the checker says of it (for a hidden case, only that it is hidden).
    #[serde(default)]
    pub message: Option<String>,
    /// Why it failed, when the checker knows the mechanism.
    #[serde(default)]
    pub diagnosis: Option<String>,
    /// What the run showed.
    #[serde(default)]
    pub observed: Option<ObservedView>,
}

/// What a case's run showed, as far as the class's summaries read it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ObservedView {
    /// The value returned.
    #[serde(default)]
    pub value: serde_json::Value,
}

/// A compiler error of a lesson's file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct CompileErrorView {
    /// As the compiler renders it.
    #[serde(default)]
    pub rendered: String,
}

impl LessonView {
    /// Milli-points earned and possible (`crate::points`): exact sums of the cases'.
    pub fn millis(&self) -> (u64, u64) {
        self.cases.iter().fold((0, 0), |(got, max), case| {
            (
                got + crate::points::to_millis(case.points),
                max + crate::points::to_millis(case.max_points),
            )
        })
    }
}

impl StudentFile {
    /// Milli-points earned over every lesson.
    pub fn total_millis(&self) -> u64 {
        self.lessons.iter().map(|l| l.millis().0).sum()
    }

    /// Whether some of the student's code does not compile.
    pub fn does_not_compile(&self) -> bool {
        !self.build_errors.is_empty()
            || self
                .lessons
                .iter()
                .any(|l| l.status == LessonStatus::DoesNotCompile)
    }
}

/// Reads every `students/*.json` of an output folder, sorted by student.
///
/// # Errors
/// The folder cannot be read, or a file is not a student's report (naming it).
pub fn read_students(out: &Path) -> anyhow::Result<Vec<(PathBuf, StudentFile)>> {
    let mut students = Vec::new();
    for (path, student) in student_files(out)? {
        students.push((path, student?));
    }
    students.sort_by(|a, b| a.1.class.student.cmp(&b.1.class.student));
    Ok(students)
}

/// The reports an output folder holds that can be read, sorted by student; the others are
/// left out (for a dashboard over what an earlier run left, where one broken file must not
/// take the rest with it).
pub fn readable_students(out: &Path) -> Vec<StudentFile> {
    let mut students: Vec<StudentFile> = student_files(out)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(_, student)| student.ok())
        .collect();
    students.sort_by(|a, b| a.class.student.cmp(&b.class.student));
    students
}

/// Every `students/*.json` of an output folder, each read or not.
fn student_files(out: &Path) -> anyhow::Result<Vec<(PathBuf, anyhow::Result<StudentFile>)>> {
    let dir = out.join(STUDENTS_DIR);
    let entries = std::fs::read_dir(&dir).with_context(|| {
        format!(
            "cannot read {}: is it an output of grade-many?",
            dir.display()
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let student = read_student(&path);
        files.push((path, student));
    }
    Ok(files)
}

/// Reads one student's JSON report.
///
/// # Errors
/// It cannot be read, or has no `class` key (it is not a report of `grade-many`).
pub fn read_student(path: &Path) -> anyhow::Result<StudentFile> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a student's report of grade-many (a JSON report with a `class` key)",
            path.display()
        )
    })
}

/// What the summaries of a class include beyond the gradebook, the dashboard, the
/// misconception clusters and the feedback files.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The teacher's roster: with it, `canvas.csv` and `moodle.csv` (as far as its
    /// identifiers allow, [`lms::targets`]).
    pub roster: Option<roster::Roster>,
    /// The assignment the LMS files' grades go to.
    pub assignment: Option<lms::Assignment>,
    /// The course's own code, when similarity is asked for (`--similarity`).
    pub similarity: Option<Vec<String>>,
}

/// Writes the summaries of `students` into `out`: `gradebook.csv`, `clusters.csv`, each
/// student's `feedback/NAME.md` and `.html`, with `extras` `similarity.csv` and the LMS
/// files, and `dashboard.html`. Everything is made from the reports (and the lesson files
/// kept beside them) alone, so that a merge of shards writes what one run writes.
///
/// Returns what it wrote beyond the gradebook and the dashboard, for the run's last lines
/// (`clusters.csv`, `feedback/ (12 students)`, `similarity.csv (2 pairs)`, ...).
///
/// # Errors
/// A file cannot be written; or an LMS file cannot be made (a student missing from the
/// roster, an identifier missing: [`Error::Usage`]): everything else is written first.
pub fn write_summaries(
    out: &Path,
    students: &[StudentFile],
    problem: Option<&str>,
    extras: &Extras,
) -> Result<Vec<String>, Error> {
    let mut wrote = vec![clusters::FILE.to_string()];
    write_atomically(&out.join(GRADEBOOK), &gradebook::csv(students))?;
    let clusters = clusters::of(students);
    write_atomically(&out.join(clusters::FILE), &clusters::csv(&clusters))?;
    let mut sections = sections::clusters(&clusters);
    if !students.is_empty() {
        let dir = out.join(feedback::FEEDBACK_DIR);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot make {}", dir.display()))
            .or_fail(Error::Io)?;
        for student in students {
            let name = &student.class.student;
            write_atomically(
                &dir.join(format!("{name}.md")),
                &feedback::markdown(student),
            )?;
            write_atomically(&dir.join(format!("{name}.html")), &feedback::html(student))?;
        }
        wrote.push(format!(
            "{}/ ({} students)",
            feedback::FEEDBACK_DIR,
            students.len()
        ));
    }
    if let Some(course) = &extras.similarity {
        let sources: std::collections::BTreeMap<String, similarity::Sources> = students
            .iter()
            .map(|s| {
                let name = s.class.student.clone();
                let files = similarity::read_sources(out, &name);
                (name, files)
            })
            .collect();
        let with_sources: Vec<(StudentFile, similarity::Sources)> = students
            .iter()
            .map(|s| (s.clone(), sources[&s.class.student].clone()))
            .collect();
        let pairs = similarity::pairs(&with_sources, course);
        write_atomically(&out.join(similarity::FILE), &similarity::csv(&pairs))?;
        wrote.push(format!("{} ({} pairs)", similarity::FILE, pairs.len()));
        sections.push_str(&sections::similarity(&pairs, &sources));
    }
    let summary = dashboard::Summary::of(students);
    write_atomically(
        &out.join(DASHBOARD),
        &dashboard::page_with(&summary, &sections, problem),
    )?;
    if let (Some(roster), Some(assignment)) = (&extras.roster, &extras.assignment) {
        let (canvas, moodle) = lms::targets(roster);
        if !(canvas || moodle) {
            return Err(Error::Usage(anyhow::anyhow!(
                "roster {} has no identifier column for Canvas (canvas_id, sis_id, sis_login) or Moodle (email, sis_id, sis_login)",
                roster.file
            )));
        }
        if canvas {
            write_atomically(
                &out.join(lms::CANVAS),
                &lms::canvas(students, roster, assignment).or_fail(Error::Usage)?,
            )?;
            wrote.push(lms::CANVAS.to_string());
        }
        if moodle {
            write_atomically(
                &out.join(lms::MOODLE),
                &lms::moodle(students, roster, assignment).or_fail(Error::Usage)?,
            )?;
            wrote.push(lms::MOODLE.to_string());
        }
    }
    Ok(wrote)
}

/// Writes `text` to `path` through a temporary file beside it, so that a reader (or an
/// interrupted run) never sees half a file.
///
/// # Errors
/// The file cannot be written or renamed ([`Error::Io`]: exit status 4).
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, text)
        .with_context(|| format!("cannot write {}", partial.display()))
        .or_fail(Error::Io)?;
    std::fs::rename(&partial, path)
        .with_context(|| format!("cannot write {}", path.display()))
        .or_fail(Error::Io)
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and in every build, for shard
/// assignment and content keys (not for security: a key only decides whether to grade again).
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds `bytes`.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// Adds `bytes` with their length first, so that consecutive fields cannot run together.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.bytes(&(bytes.len() as u64).to_le_bytes()).bytes(bytes)
    }

    /// The hash.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report's statuses are read back by serde into the types that wrote them; a status
    /// no checker writes is not a student's report.
    #[test]
    fn statuses_read_back_as_they_were_written() {
        for status in [
            LessonStatus::Done,
            LessonStatus::Pending,
            LessonStatus::Failing,
            LessonStatus::DoesNotCompile,
            LessonStatus::Error,
        ] {
            let written = serde_json::to_value(status).expect("serializes");
            let read: LessonStatus = serde_json::from_value(written).expect("reads back");
            assert_eq!(read, status);
        }
        for status in [
            Status::Pass,
            Status::Fail,
            Status::NotImplemented,
            Status::Error,
        ] {
            let written = serde_json::to_value(status).expect("serializes");
            assert_eq!(written, status.name(), "the name reports give it");
            let read: Status = serde_json::from_value(written).expect("reads back");
            assert_eq!(read, status);
        }
        let forged = serde_json::json!({
            "class": { "student": "amy", "key": "0", "notes": "" },
            "lessons": [ { "number": 1, "id": "say_hello", "status": "perfect" } ],
        });
        assert!(serde_json::from_value::<StudentFile>(forged).is_err());
    }

    /// A gradebook that cannot be written ends `grade-many` and `merge` with the documented
    /// status 4, not the usage status an untagged error gets.
    #[test]
    fn a_file_that_cannot_be_written_is_an_io_failure() {
        let dir = tempfile::tempdir().expect("tempdir");
        let error = write_atomically(&dir.path().join("missing/gradebook.csv"), "x")
            .expect_err("its folder does not exist");
        assert_eq!(error.exit_status(), crate::exit::IO, "{error}");
        write_atomically(&dir.path().join("gradebook.csv"), "x").expect("written");
    }
}
