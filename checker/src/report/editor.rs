//! The report an editor reads: cargo's JSON messages (`--message-format=json`), one a line,
//! so that rust-analyzer's `check.overrideCommand` (and any tool that reads `cargo check`'s
//! output) shows each failing case under the line the human report's "Edit:" points at.
//!
//! Compiler errors go through as rustc gave them (its own message, spans and rendering); a
//! failing case becomes a rustc-shaped diagnostic whose message is the case's headline (its
//! diagnosis, the words the terminal shows first), on the line [`human::case_line`] finds.
//! The stream ends with cargo's `build-finished` message. docs/editor.md shows the settings.

use serde_json::{Value, json};

use crate::report::human;
use crate::results::Context;
use crate::results::{CaseResult, LessonResult, LessonStatus, Status};

/// What a case that is not implemented says, as a warning (the terminal says it too).
const NOT_IMPLEMENTED: &str = "not implemented yet: replace the `todo!()` with your code";

/// The cargo JSON stream of `lessons` (already redacted: [`crate::report::machine::visible`]).
pub fn render(lessons: &[LessonResult], context: &Context) -> String {
    let mut out = String::new();
    let mut push = |message: Value| {
        out.push_str(&message.to_string());
        out.push('\n');
    };
    for lesson in lessons {
        for error in &lesson.compile_errors {
            push(match &error.compiler_message {
                Some(message) => serde_json::to_value(cargo_metadata::Message::CompilerMessage(
                    (**message).clone(),
                ))
                .unwrap_or(Value::Null),
                None => compiler_message(
                    context,
                    diagnostic(
                        "error",
                        &error.message,
                        error.code.as_deref(),
                        error
                            .file
                            .as_deref()
                            .map(|file| span(file, error.line, None))
                            .into_iter()
                            .collect(),
                        Vec::new(),
                        &error.rendered,
                    ),
                ),
            });
        }
        if lesson.status() == LessonStatus::DoesNotCompile {
            continue;
        }
        let source = std::fs::read_to_string(human::resolve(&lesson.file)).ok();
        // One diagnostic per headline and line: cases that fail alike are named together.
        let mut verdicts: Vec<Verdict> = Vec::new();
        for case in lesson.cases.iter().filter(|c| c.status != Status::Pass) {
            let line = human::case_line(lesson, case, source.as_deref());
            let verdict = verdict(case);
            match verdicts
                .iter_mut()
                .find(|v| v.line == line && v.headline == verdict.headline)
            {
                Some(same) => same.notes.extend(verdict.notes),
                None => verdicts.push(Verdict { line, ..verdict }),
            }
        }
        for verdict in verdicts {
            push(compiler_message(
                context,
                verdict.diagnostic(lesson, source.as_deref()),
            ));
        }
    }
    for stray in &context.stray_compile_errors {
        push(compiler_message(
            context,
            diagnostic("error", stray, None, Vec::new(), Vec::new(), stray),
        ));
    }
    let success = lessons
        .iter()
        .all(|l| l.status() == LessonStatus::Done && l.compile_errors.is_empty())
        && context.stray_compile_errors.is_empty();
    push(json!({ "reason": "build-finished", "success": success }));
    out
}

/// What the editor shows of failing cases on one line.
struct Verdict {
    /// `error`, or `warning` for code not written yet.
    level: &'static str,
    /// The case's headline: its diagnosis, the first words the terminal shows about it.
    headline: String,
    /// The line it points at (`None`: the file's first).
    line: Option<usize>,
    /// What the terminal says under the headline: the case's name, evidence, message, place.
    notes: Vec<String>,
}

/// A failing case as the editor shows it (its line is set by the caller).
fn verdict(case: &CaseResult) -> Verdict {
    if case.hidden {
        return Verdict {
            level: "error",
            headline: format!("{} fails", human::HIDDEN_CASE),
            line: None,
            notes: Vec::new(),
        };
    }
    let first_line = || case.message.lines().next().unwrap_or_default().to_string();
    let (level, headline) = match (&case.diagnosis, case.status) {
        (Some(diagnosis), Status::NotImplemented) => ("warning", diagnosis.clone()),
        (None, Status::NotImplemented) => ("warning", NOT_IMPLEMENTED.to_string()),
        (Some(diagnosis), _) => ("error", diagnosis.clone()),
        (None, _) => ("error", first_line()),
    };
    let mut notes = vec![format!("case: {}", case.name)];
    if case.status != Status::NotImplemented {
        notes.extend(case.evidence.clone());
        notes.extend(
            case.message
                .lines()
                .filter(|l| !l.trim().is_empty() && *l != headline)
                .map(str::to_string),
        );
        if let Some(location) = &case.location {
            notes.push(format!("at {location}"));
        }
    }
    Verdict {
        level,
        headline,
        line: None,
        notes,
    }
}

impl Verdict {
    /// As a rustc diagnostic: the headline as its message, the rest as notes, on its line.
    fn diagnostic(&self, lesson: &LessonResult, source: Option<&str>) -> Value {
        let shown: Vec<&str> = self.notes.iter().map(String::as_str).collect();
        diagnostic(
            self.level,
            &self.headline,
            None,
            vec![span(&lesson.file, self.line, source)],
            self.notes.iter().map(|n| note(n)).collect(),
            &rendering(self.level, &self.headline, lesson, self.line, &shown),
        )
    }
}

/// rustc's rendering of a diagnostic: `level: message`, where, then its notes.
fn rendering(
    level: &str,
    message: &str,
    lesson: &LessonResult,
    line: Option<usize>,
    notes: &[&str],
) -> String {
    let at = match line {
        Some(line) => format!("{}:{line}", lesson.file),
        None => lesson.file.clone(),
    };
    let mut text = format!("{level}: {message}\n  --> {at}\n");
    for note in notes {
        text.push_str(&format!("  = note: {note}\n"));
    }
    text
}

/// cargo's `compiler-message` around `diagnostic`, for the package `context` graded.
fn compiler_message(context: &Context, diagnostic: Value) -> Value {
    let package = &context.subject;
    json!({
        "reason": "compiler-message",
        "package_id": format!("path+file:///asynclings/{package}#{package}@0.0.0"),
        "manifest_path": format!("{package}/Cargo.toml"),
        "target": {
            "kind": ["lib"],
            "crate_types": ["lib"],
            "name": package,
            "src_path": format!("{package}/src/lib.rs"),
            "edition": "2024",
            "doctest": false,
            "test": false,
            "doc": false,
        },
        "message": diagnostic,
    })
}

/// A rustc diagnostic.
fn diagnostic(
    level: &str,
    message: &str,
    code: Option<&str>,
    spans: Vec<Value>,
    children: Vec<Value>,
    rendered: &str,
) -> Value {
    json!({
        "$message_type": "diagnostic",
        "message": message,
        "code": code.map(|code| json!({ "code": code, "explanation": null })),
        "level": level,
        "spans": spans,
        "children": children,
        "rendered": rendered,
    })
}

/// A note under a diagnostic, without a place of its own.
fn note(text: &str) -> Value {
    json!({
        "message": text,
        "code": null,
        "level": "note",
        "spans": [],
        "children": [],
        "rendered": null,
    })
}

/// The primary span of a diagnostic on `line` of `file` (1 without a line): from its first
/// non-blank character to its end, as rustc counts them (1-based columns in characters,
/// 0-based byte offsets in the file).
fn span(file: &str, line: Option<usize>, source: Option<&str>) -> Value {
    let line = line.unwrap_or(1).max(1);
    let (mut byte_start, mut byte_end, mut column_start, mut column_end) = (0, 0, 1, 1);
    let mut text = String::new();
    if let Some(source) = source {
        let mut offset = 0;
        for (number, content) in source.split_inclusive('\n').enumerate() {
            if number + 1 == line {
                let content = content.trim_end_matches(['\n', '\r']);
                let indent = content.len() - content.trim_start().len();
                byte_start = offset + indent;
                byte_end = offset + content.len();
                column_start = content[..indent].chars().count() + 1;
                column_end = content.chars().count() + 1;
                text = content.to_string();
                break;
            }
            offset += content.len();
        }
    }
    json!({
        "file_name": file,
        "byte_start": byte_start,
        "byte_end": byte_end,
        "line_start": line,
        "line_end": line,
        "column_start": column_start,
        "column_end": column_end,
        "is_primary": true,
        "text": [{
            "text": text,
            "highlight_start": column_start,
            "highlight_end": column_end,
        }],
        "label": null,
        "suggested_replacement": null,
        "suggestion_applicability": null,
        "expansion": null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::CaseResult;

    fn context() -> Context {
        Context::quiet("exercises", "virtual")
    }

    fn failing() -> CaseResult {
        let mut case = CaseResult::new("runs concurrently", "wait_n", Status::Fail, 1.0, false)
            .with_message("took 13.4 s");
        case.diagnosis = Some("ran one after another".into());
        case
    }

    #[test]
    fn every_line_is_a_cargo_message_and_a_failing_case_carries_its_headline() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("06_wait_n.rs");
        std::fs::write(&file, "// one\npub async fn wait_n() {\n    todo!()\n}\n").unwrap();
        let mut lesson = LessonResult::of_cases(vec![
            failing(),
            CaseResult::new("ok", "wait_n", Status::Pass, 1.0, false),
        ]);
        lesson.file = file.display().to_string();
        let text = render(&[lesson], &context());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        for line in &lines {
            serde_json::from_str::<cargo_metadata::Message>(line)
                .unwrap_or_else(|e| panic!("not a cargo message ({e}): {line}"));
        }
        let message: Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(message["message"]["message"], "ran one after another");
        assert_eq!(message["message"]["level"], "error");
        let span = &message["message"]["spans"][0];
        assert_eq!(span["line_start"], 2);
        assert_eq!(span["column_start"], 1);
        assert_eq!(span["byte_start"], 7);
        assert_eq!(span["byte_end"], 7 + "pub async fn wait_n() {".len());
        let rendered = message["message"]["rendered"].as_str().unwrap();
        assert!(rendered.contains("note: took 13.4 s"), "{rendered}");
        assert_eq!(lines[1], r#"{"reason":"build-finished","success":false}"#);
    }

    #[test]
    fn a_hidden_case_says_only_that_it_fails_and_a_done_lesson_says_nothing() {
        let mut hidden = failing();
        hidden.hidden = true;
        let text = render(&[LessonResult::of_cases(vec![hidden])], &context());
        assert!(!text.contains("ran one after another"), "{text}");
        assert!(text.contains("a hidden case fails"), "{text}");
        let done =
            LessonResult::of_cases(vec![CaseResult::new("ok", "f", Status::Pass, 1.0, false)]);
        assert_eq!(
            render(&[done], &context()),
            "{\"reason\":\"build-finished\",\"success\":true}\n"
        );
    }
}
