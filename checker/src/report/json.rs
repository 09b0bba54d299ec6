//! The JSON report: our own schema, documented in `docs/results.md`.
//!
//! `version` changes only when a field changes meaning or goes away; new fields may appear.

use serde::Serialize;

use super::machine::plain;
use crate::results::Context;
use crate::results::{LessonResult, LessonStatus, tally};

/// Version of the JSON schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    subject: &'a str,
    clock: &'a str,
    interrupted: bool,
    /// The run's seed: `--seed` with it replays the run (`None` when no case ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    /// What confined the code under test.
    #[serde(skip_serializing_if = "Option::is_none")]
    sandbox: Option<&'a crate::os::sandbox::Status>,
    build_errors: Vec<String>,
    summary: Summary,
    lessons: Vec<Lesson<'a>>,
}

#[derive(Serialize)]
struct Summary {
    passed: usize,
    failed: usize,
    score: f64,
    max_score: f64,
}

#[derive(Serialize)]
struct Lesson<'a> {
    #[serde(flatten)]
    result: &'a LessonResult,
    status: LessonStatus,
    /// The first diagnosis of the first failing case: the first sentence a student reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    score: f64,
    max_score: f64,
}

/// Renders the results as JSON.
pub fn render(lessons: &[LessonResult], context: &Context) -> String {
    let (passed, failed) = tally(lessons);
    let (score, max_score) = crate::points::total(lessons);
    let report = Report {
        version: SCHEMA_VERSION,
        subject: &context.subject,
        clock: &context.clock,
        interrupted: context.interrupted,
        seed: context.seed,
        sandbox: context.sandbox.as_ref(),
        build_errors: context
            .stray_compile_errors
            .iter()
            .map(|e| plain(e).trim_end().to_string())
            .collect(),
        summary: Summary {
            passed,
            failed,
            score,
            max_score,
        },
        lessons: lessons
            .iter()
            .map(|result| {
                let (score, max_score) = result.score();
                Lesson {
                    result,
                    status: result.status(),
                    headline: result.headline(),
                    score,
                    max_score,
                }
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
