//! Recording cases again for their timelines: the runner that graded them, run with
//! [`CaseRequest::record`](asynclings_runner::protocol::CaseRequest::record) set.
//!
//! There is one runner build: grading and recording differ only by that field of a case's
//! request, read when the case starts (`docs/timeline.md`). A recorded run is a second run of
//! the case on the same seed; its verdict is never used, only what it recorded.

use std::path::Path;

use asynclings_runner::protocol::ClockMode;

use crate::exit::{Error, ResultExt};
use crate::grade::call;
use crate::results::CaseTimeline;
use crate::results::{LessonResult, Status};
use crate::spec::{Case, CaseKind, Lesson};
use crate::supervise::{Observed, Runner, Supervisor};
use crate::timeline::{self as tl, html};

/// What recording needs of a grading run: who runs cases, with which runner, clock and seed.
#[derive(Clone, Copy)]
pub struct Recorder<'a> {
    /// Runs each case in a process of its own, confined as grading's.
    pub supervisor: &'a Supervisor,
    /// The runner that graded (the same binary records).
    pub runner: &'a Runner,
    /// The run's clock: timelines are drawn on the virtual clock only.
    pub clock: ClockMode,
    /// The run's seed: a recorded call draws what the graded one drew.
    pub seed: u64,
}

impl Recorder<'_> {
    /// Runs each call case of `cases` once more, recording, and returns what was recorded, in
    /// order; a case whose run reports nothing recorded (it never started, or crashed) is left
    /// out.
    pub fn record(&self, lesson: &Lesson, cases: &[&Case]) -> Vec<CaseTimeline> {
        crate::os::become_subreaper();
        let mut timelines = Vec::new();
        for case in cases {
            let CaseKind::Call(call_case) = &case.kind else {
                continue;
            };
            let mut request = call::request(lesson, case, call_case, self.clock, self.seed);
            // One call: a case repeated 20 times is drawn once (its calls are alike).
            request.repeat = 1;
            request.record = true;
            let (observed, _) = self.supervisor.run_case(self.runner, &request);
            let Observed::Report(report) = observed else {
                continue;
            };
            let Some(data) = report.timeline else {
                continue;
            };
            timelines.push(CaseTimeline {
                case: case.name.clone(),
                expected: tl::expected_shape(case),
                stdout: report.stdout.into_iter().map(|l| (l.at, l.text)).collect(),
                data: *data,
            });
        }
        timelines
    }

    /// After grading: puts a timeline on every failing case with a timing expectation (and on
    /// every call case when `all`, for an HTML report) of `results` (graded from `lessons`, in
    /// the same order). Hidden cases are neither recorded nor named unless `show_hidden`. The
    /// verdicts are not touched. Returns the timelines attached, with their headings.
    pub fn attach(
        &self,
        lessons: &[Lesson],
        results: &mut [LessonResult],
        all: bool,
        show_hidden: bool,
    ) -> Vec<(String, CaseTimeline)> {
        if self.clock != ClockMode::Virtual {
            return Vec::new();
        }
        let wanted = |lesson: &Lesson, result: &LessonResult| -> Vec<Case> {
            lesson
                .cases
                .iter()
                .filter(|case| {
                    let failed = result
                        .cases
                        .iter()
                        .any(|r| r.name == case.name && r.status == Status::Fail && !r.hidden);
                    matches!(case.kind, CaseKind::Call(_))
                        && (!case.hidden || show_hidden)
                        && !tl::too_large(case)
                        && (all || (failed && tl::has_timing_expectation(case)))
                })
                .cloned()
                .collect()
        };
        let mut sections = Vec::new();
        for (lesson, result) in lessons.iter().zip(results.iter_mut()) {
            let cases = wanted(lesson, result);
            if cases.is_empty() {
                continue;
            }
            let refs: Vec<&Case> = cases.iter().collect();
            for timeline in self.record(lesson, &refs) {
                if let Some(case) = result.cases.iter_mut().find(|r| r.name == timeline.case) {
                    case.timeline = Some(Box::new(timeline.clone()));
                }
                sections.push((
                    format!("lesson {} {}: {}", lesson.number, lesson.id, timeline.case),
                    timeline,
                ));
            }
        }
        sections
    }
}

/// Writes an HTML page of timelines, titled `title`.
///
/// # Errors
/// The file cannot be written ([`Error::Io`]).
pub fn write_html(
    path: &Path,
    title: &str,
    sections: &[(String, CaseTimeline)],
) -> Result<(), Error> {
    std::fs::write(path, html::page(title, sections))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
        .or_fail(Error::Io)
}
