//! Gradescope's `results.json`, as its autograder specification defines it
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>): `score`, `max_score`,
//! `execution_time`, `output` (with `output_format` `text`), `visibility`,
//! `stdout_visibility`, `extra_data` (ours: `max_score` and the run's `seed`), and `tests[]` with `name`,
//! `number`, `score`, `max_score`, `status` (`passed`/`failed`), `output` and `visibility`.
//! `checker/tests/schemas/gradescope-results.schema.json` is that page as a JSON Schema; the
//! tests hold every report to it.

use serde::Serialize;

use super::machine::{build_errors_text, case_text};
use crate::results::Context;
use crate::results::{LessonResult, Status, tally};
use crate::text::numbers::format_number;

#[derive(Serialize)]
struct Results {
    score: f64,
    execution_time: u64,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
    stdout_visibility: &'static str,
    extra_data: ExtraData,
    tests: Vec<Test>,
}

/// What results.json stores for us beside the grade (the specification has no top-level
/// `max_score`: Gradescope takes the assignment's from its settings).
#[derive(Serialize)]
struct ExtraData {
    /// The most points the run could give: the tests' `max_score` added up.
    max_score: f64,
    /// The run's seed: `--seed` with it replays the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    number: String,
    score: f64,
    max_score: f64,
    status: &'static str,
    output: String,
    visibility: &'static str,
}

/// Renders the results as Gradescope's results.json (`elapsed`: the run's wall time, seconds).
/// The top-level `output` says when the run was interrupted and carries the compiler's errors
/// outside the lesson files.
pub fn render(lessons: &[LessonResult], context: &Context, elapsed: f64) -> String {
    let (passed, failed) = tally(lessons);
    let mut tests = Vec::new();
    for lesson in lessons {
        for (index, case) in lesson.cases.iter().enumerate() {
            tests.push(Test {
                name: format!("{} {}: {}", lesson.number, lesson.id, case.name),
                number: format!("{}.{}", lesson.number, index + 1),
                score: case.points,
                max_score: case.max_points,
                status: if case.status == Status::Pass {
                    "passed"
                } else {
                    "failed"
                },
                output: case_text(lesson, case),
                // Hidden cases count towards the score; students never see them.
                visibility: if case.hidden { "hidden" } else { "visible" },
            });
        }
    }
    // Added up in milli-points: the tests' scores make the total exactly.
    let (score, max_score) = crate::points::total(lessons);
    let mut output = format!(
        "{passed} passed, {failed} failed; score {}/{}",
        format_number(score),
        format_number(max_score)
    );
    if context.interrupted {
        output.push_str(
            "\nThe run was interrupted: the cases that did not finish count as errors (0 points).",
        );
    }
    if !context.stray_compile_errors.is_empty() {
        output.push_str("\n\nThe code does not compile. ");
        output.push_str(&build_errors_text(&context.stray_compile_errors));
    }
    if let Some(sandbox) = &context.sandbox {
        output.push_str(&format!("\nSandbox: {sandbox}"));
    }
    if let Some(seed) = context.seed {
        output.push('\n');
        output.push_str(&crate::seed::replay_note(seed));
    }
    let results = Results {
        score,
        execution_time: elapsed.ceil() as u64,
        output,
        output_format: "text",
        visibility: "visible",
        stdout_visibility: "hidden",
        extra_data: ExtraData {
            max_score,
            seed: context.seed,
        },
        tests,
    };
    let mut text = serde_json::to_string_pretty(&results).unwrap_or_default();
    text.push('\n');
    text
}

/// `results` (a rendered results.json) with the text of the file `note` first in its top-level
/// `output`: what the autograder used of the submission.
pub fn with_note(results: String, note: Option<&std::path::Path>) -> String {
    let Some(note) = note else {
        return results;
    };
    let note = std::fs::read_to_string(note)
        .unwrap_or_else(|e| format!("(cannot read the note {}: {e})", note.display()));
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&results) else {
        return results;
    };
    let output = value["output"].as_str().unwrap_or_default();
    value["output"] = serde_json::Value::String(format!("{}\n\n{output}", note.trim_end()));
    let mut text = serde_json::to_string_pretty(&value).unwrap_or(results);
    text.push('\n');
    text
}
