//! Reports of a grading run.

pub mod classroom;
pub mod classroom50;
pub mod editor;
pub mod gradescope;
pub mod human;
pub mod json;
pub mod junit;
pub mod machine;
pub mod output;
pub mod progress;
pub mod style;

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: one line per lesson, then the next lesson in detail.
    Human,
    /// Our JSON schema (docs/results.md).
    Json,
    /// JUnit XML: one testsuite per lesson, one testcase per case.
    Junit,
    /// Gradescope's results.json.
    Gradescope,
    /// Legacy: GitHub Classroom's v1 result object, base64-encoded (GitHub Classroom ended on 2026-08-28).
    GithubClassroom,
    /// Classroom 50's result.json (schema classroom50/result/v1), for a custom autograder.
    Classroom50,
    /// cargo's JSON messages (rustc diagnostics, one a line), for editors: docs/editor.md.
    CargoJson,
}
