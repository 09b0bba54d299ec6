//! What grading produced: one result per case, grouped by lesson, in spec order.

use serde::Serialize;

use crate::cargo_build::CompileError;
use asynclings_runner::protocol::Line;

/// A case's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It does what the spec says.
    Pass,
    /// It does something else.
    Fail,
    /// The function is still a `todo!()` stub.
    NotImplemented,
    /// It could not be graded: the code does not build, the child crashed the channel, or
    /// the spec does not fit the implementation.
    Error,
}

/// What the checker observed of a call, for reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Observation {
    /// The value returned (of the failing call, or the first).
    pub value: serde_json::Value,
    /// Seconds on the case's clock.
    pub elapsed: Option<f64>,
    /// Seconds of real time.
    pub real: Option<f64>,
    /// Lines printed, with their times.
    pub stdout: Vec<Line>,
    /// Bytes of stdout dropped past the cap.
    pub stdout_dropped: u64,
    /// The end of stderr, when the process crashed.
    pub stderr: String,
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// The function it concerns.
    pub function: String,
    /// Its verdict.
    pub status: Status,
    /// Points earned.
    pub points: f64,
    /// Points it is worth.
    pub max_points: f64,
    /// Whether details are hidden from students.
    pub hidden: bool,
    /// What went wrong: expected against observed (empty on a pass).
    pub message: String,
    /// One sentence naming the mistake, when the checker recognises it.
    pub diagnosis: Option<String>,
    /// `file:line` the verdict points at, when there is one.
    pub location: Option<String>,
    /// What was observed.
    pub observed: Observation,
    /// What ran when (a failing timing case, or every case with `--timeline-html`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Box<crate::timeline::CaseTimeline>>,
}

impl CaseResult {
    /// A result with no observation.
    pub fn new(name: &str, function: &str, status: Status, max_points: f64, hidden: bool) -> Self {
        Self {
            name: name.to_string(),
            function: function.to_string(),
            status,
            points: if status == Status::Pass {
                max_points
            } else {
                0.0
            },
            max_points,
            hidden,
            message: String::new(),
            diagnosis: None,
            location: None,
            observed: Observation::default(),
            timeline: None,
        }
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
}

/// How a lesson stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonStatus {
    /// It has cases, and every one passes.
    Done,
    /// Every case is still a stub.
    Pending,
    /// Some case fails.
    Failing,
    /// The lesson's file does not compile.
    DoesNotCompile,
    /// Some case could not be graded.
    Error,
}

/// The results of one lesson.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LessonResult {
    /// Position in the course.
    pub number: usize,
    /// Id (module name).
    pub id: String,
    /// Title.
    pub title: String,
    /// The file to edit, as a path to show.
    pub file: String,
    /// The hint.
    pub hint: String,
    /// Case results, in spec order.
    pub cases: Vec<CaseResult>,
    /// Compiler errors in this lesson's file.
    pub compile_errors: Vec<CompileError>,
}

#[cfg(test)]
impl LessonResult {
    /// Lesson 1, `l`, in `f.rs`, with `cases`: a fixture for unit tests.
    pub(crate) fn of_cases(cases: Vec<CaseResult>) -> LessonResult {
        LessonResult {
            number: 1,
            id: "l".into(),
            title: "t".into(),
            file: "f.rs".into(),
            hint: "h".into(),
            cases,
            compile_errors: Vec::new(),
        }
    }
}

impl LessonResult {
    /// How the lesson stands.
    pub fn status(&self) -> LessonStatus {
        let all = |s: Status| self.cases.iter().all(|c| c.status == s);
        if !self.compile_errors.is_empty() {
            LessonStatus::DoesNotCompile
        } else if !self.cases.is_empty() && all(Status::Pass) {
            LessonStatus::Done
        } else if all(Status::NotImplemented) {
            LessonStatus::Pending
        } else if self
            .cases
            .iter()
            .any(|c| c.status == Status::Fail || c.status == Status::NotImplemented)
        {
            LessonStatus::Failing
        } else {
            LessonStatus::Error
        }
    }

    /// Points earned and possible.
    pub fn score(&self) -> (f64, f64) {
        self.cases.iter().fold((0.0, 0.0), |(got, max), c| {
            (got + c.points, max + c.max_points)
        })
    }
}

/// Counts of case verdicts over lessons: (passed, not passed).
pub fn tally(lessons: &[LessonResult]) -> (usize, usize) {
    let cases = lessons.iter().flat_map(|l| &l.cases);
    let passed = cases.clone().filter(|c| c.status == Status::Pass).count();
    (passed, cases.count() - passed)
}

/// Serialises a [`CompileError`] in results.
impl Serialize for CompileError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("CompileError", 4)?;
        s.serialize_field("file", &self.file)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("explanation", &self.explanation)?;
        s.serialize_field("rendered", &self.rendered)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(cases: Vec<CaseResult>) -> LessonResult {
        LessonResult::of_cases(cases)
    }

    #[test]
    fn a_lesson_without_cases_is_not_done() {
        assert_ne!(lesson(Vec::new()).status(), LessonStatus::Done);
        let pass = CaseResult::new("c", "f", Status::Pass, 1.0, false);
        assert_eq!(lesson(vec![pass]).status(), LessonStatus::Done);
    }
}
