//! The v1 result object that GitHub Classroom's grading reporter
//! (`classroom-resources/autograding-grading-reporter`) reads: `version`, `status`,
//! `max_score`, `tests[]` with `name`, `status`, `score`, `message`. The reporter takes it
//! base64-encoded from the environment variable `<RUNNER-ID>_RESULTS`; `--format
//! github-classroom` writes that base64 text (see docs/ci/github-classroom.yml).

use base64::Engine;
use serde::Serialize;

use super::machine::case_text;
use crate::results::Context;
use crate::results::{LessonResult, Status};

#[derive(Serialize)]
struct Results {
    version: u32,
    status: &'static str,
    /// Ours, beside the reporter's fields: the run was cut short (its status is then `error`).
    interrupted: bool,
    /// Ours: the run's seed (`--seed` replays the run).
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    max_score: f64,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    status: &'static str,
    score: f64,
    message: String,
    line_no: u32,
    execution_time: String,
}

fn status(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail | Status::NotImplemented => "fail",
        Status::Error => "error",
    }
}

/// The result object, as JSON. An interrupted run's status is `error`, whatever finished.
pub fn json(lessons: &[LessonResult], context: &Context) -> String {
    let tests: Vec<Test> = lessons
        .iter()
        .flat_map(|lesson| {
            lesson.cases.iter().map(move |case| Test {
                name: format!("{} {}: {}", lesson.number, lesson.id, case.name),
                status: status(case.status),
                score: case.points,
                message: case_text(lesson, case),
                line_no: 0,
                execution_time: format!("{:.3}s", case.observed.real.unwrap_or(0.0)),
            })
        })
        .collect();
    let overall = if context.interrupted || tests.iter().any(|t| t.status == "error") {
        "error"
    } else if tests.iter().any(|t| t.status == "fail") {
        "fail"
    } else {
        "pass"
    };
    let results = Results {
        version: 1,
        status: overall,
        interrupted: context.interrupted,
        seed: context.seed,
        max_score: crate::points::total(lessons).1,
        tests,
    };
    serde_json::to_string(&results).unwrap_or_default()
}

/// The result object, base64-encoded as the reporter expects it.
pub fn render(lessons: &[LessonResult], context: &Context) -> String {
    let mut text = base64::engine::general_purpose::STANDARD.encode(json(lessons, context));
    text.push('\n');
    text
}
