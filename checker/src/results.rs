//! What grading produced: one result per case, grouped by lesson, in spec order.

use serde::{Deserialize, Serialize};

use crate::cargo_build::CompileError;
use asynclings_runner::protocol::Line;
use asynclings_runner::timeline::Timeline;

/// A case's verdict. Written to the JSON report and read back from it (`grade-many`'s
/// summaries) by serde, by its [`Status::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It does what the spec says.
    Pass,
    /// It does something else.
    Fail,
    /// The function is still a `todo!()` stub.
    NotImplemented,
    /// It could not be graded: the code does not build, the child crashed the channel, or
    /// the spec does not fit the implementation. (The default: nothing known of it.)
    #[default]
    Error,
}

impl Status {
    /// Its name in reports: `pass`, `fail`, `not_implemented`, `error`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotImplemented => "not_implemented",
            Self::Error => "error",
        }
    }
}

/// Why a case has the verdict it has, when the checker knows it as a fact rather than as
/// wording: reports branch on this, never on the text of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Not run: the run was interrupted.
    Interrupted,
    /// Not graded: the code under test does not build (errors outside this lesson's file).
    NotBuilt,
    /// Not graded: this lesson's own file does not compile.
    FileNotBuilt,
    /// A source check found a name the lesson forbids (`std::thread::sleep`, `block_on`,
    /// `sort`, `std::time::Instant`): the cause, whatever the runtime shows.
    Forbidden {
        /// The name as used, resolved (`std::thread::sleep`).
        name: String,
        /// `file:line` of the use.
        location: String,
        /// Whether it runs on a blocking thread (inside `spawn_blocking`): it holds that
        /// thread in real time, not the executor's.
        on_blocking_thread: bool,
    },
    /// A source check found a required call missing.
    Missing {
        /// The name that is never called.
        name: String,
    },
    /// Every call came back sorted although the lesson collects its results with a
    /// combinator that keeps the order the work was started in: reordered after the fact.
    Reordered {
        /// The order-keeping combinator (`join_all`, a `for` loop awaiting handles).
        combinator: String,
    },
    /// The lesson fails because an earlier lesson it builds on fails.
    DependsOn {
        /// The number of the lesson at fault.
        number: usize,
        /// Its id.
        lesson: String,
    },
}

impl Reason {
    /// Whether the case was not graded at all (interrupt, build): such a message says
    /// nothing of what the case checks, so it may be shown for a hidden case too.
    pub fn not_graded(&self) -> bool {
        matches!(
            self,
            Reason::Interrupted | Reason::NotBuilt | Reason::FileNotBuilt
        )
    }
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
    /// For a network case: what each peer received, and when (the runner's transcripts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transcripts: Vec<asynclings_runner::net::PeerTranscript>,
    /// For a client lesson: when each attempt to connect began.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<f64>,
    /// For a case with a slow function: each call, where it ran and when (`runner::cpu`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cpu: Vec<asynclings_runner::cpu::CpuCall>,
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
    /// What the run showed, when the diagnosis names a cause found elsewhere (in the source,
    /// or in an earlier lesson): the runtime symptom, as evidence of that cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The verdict's reason, as a type, when the checker knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// `file:line` the verdict points at, when there is one.
    pub location: Option<String>,
    /// What was observed.
    pub observed: Observation,
    /// What ran when (a failing timing case, or every case with `--timeline-html`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Box<CaseTimeline>>,
}

/// A case's timeline, with the shape its spec expects, as the reports carry it (recorded by
/// `crate::timeline::record`; its bars: [`CaseTimeline::bars`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseTimeline {
    /// The case's name.
    pub case: String,
    /// The shape the spec implies, in words ("concurrent: all 5 start at 0 s"), when it
    /// implies one.
    pub expected: Option<String>,
    /// Lines printed and when: `[seconds, text]`.
    pub stdout: Vec<(f64, String)>,
    /// What was recorded.
    #[serde(flatten)]
    pub data: Timeline,
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
            evidence: None,
            reason: None,
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

    /// Sets the reason.
    pub fn with_reason(mut self, reason: Reason) -> Self {
        self.reason = Some(reason);
        self
    }

    /// Whether the case was not graded at all (interrupt, build).
    pub fn not_graded(&self) -> bool {
        self.reason.as_ref().is_some_and(Reason::not_graded)
    }
}

/// How a lesson stands. Written to the JSON report and read back from it by serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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
    /// Some case could not be graded. (The default: nothing known of it.)
    #[default]
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

    /// The lesson's headline: the first diagnosis of its first failing case, the first
    /// sentence a student reads about it.
    pub fn headline(&self) -> Option<&str> {
        self.cases
            .iter()
            .find(|c| c.status != Status::Pass)
            .and_then(|c| c.diagnosis.as_deref())
    }
}

/// What a run was, besides its results: the metadata every report states (what was graded,
/// on which clock, with which sandbox and seed, whether it was interrupted or isolated).
#[derive(Debug, Clone)]
pub struct Context {
    /// What was graded (`exercises`, `solutions`, ...).
    pub subject: String,
    /// Which clock the cases ran on (`virtual` or `real`).
    pub clock: String,
    /// Compiler errors in no lesson's file.
    pub stray_compile_errors: Vec<String>,
    /// Whether the run was interrupted before every case finished.
    pub interrupted: bool,
    /// Whether the lessons that compile were graded with stubs in place of those that do not.
    pub isolated: bool,
    /// What confined the code under test (`None`: not said, as in unit tests).
    pub sandbox: Option<crate::os::sandbox::Status>,
    /// The run's seed (`None`: no case ran, or not said, as in unit tests).
    pub seed: Option<u64>,
}

impl Context {
    /// The context of a run of `subject` on `clock` with nothing to note: no stray compile
    /// errors, not interrupted, not isolated, sandbox and seed not said.
    pub fn quiet(subject: &str, clock: &str) -> Self {
        Self {
            subject: subject.into(),
            clock: clock.into(),
            stray_compile_errors: Vec::new(),
            interrupted: false,
            isolated: false,
            sandbox: None,
            seed: None,
        }
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
