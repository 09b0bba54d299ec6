//! The report a student reads: one line per lesson, then the lesson to work on next in detail.

use std::fmt::Write;

use super::style::Style;
use crate::expr::format_number;
use crate::results::{CaseResult, LessonResult, LessonStatus, Status, tally};

/// Most failing cases shown in detail for the next lesson.
const DETAILED_CASES: usize = 3;

/// What the report needs besides the results.
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
}

fn mark(status: LessonStatus, style: Style) -> String {
    match status {
        LessonStatus::Done => style.good("✓"),
        LessonStatus::Pending => style.dim("·"),
        LessonStatus::Failing => style.bad("✗"),
        LessonStatus::DoesNotCompile => style.bad("!"),
        LessonStatus::Error => style.warn("?"),
    }
}

fn status_words(lesson: &LessonResult, broken: Option<&LessonResult>) -> String {
    let total = lesson.cases.len();
    let passed = lesson
        .cases
        .iter()
        .filter(|c| c.status == Status::Pass)
        .count();
    match lesson.status() {
        LessonStatus::Done => "done".into(),
        LessonStatus::Pending => "not implemented yet".into(),
        LessonStatus::Failing => format!("failing: {passed} of {total} cases pass"),
        LessonStatus::DoesNotCompile => "does not compile".into(),
        LessonStatus::Error => match broken {
            Some(broken) => format!(
                "not graded until lesson {} ({}) compiles",
                broken.number, broken.id
            ),
            None => "could not be graded".into(),
        },
    }
}

/// Renders one line per lesson: mark, number, id, status.
pub fn render_list(lessons: &[LessonResult], style: Style) -> String {
    let mut out = String::new();
    lesson_lines(&mut out, lessons, style);
    out
}

fn lesson_lines(out: &mut String, lessons: &[LessonResult], style: Style) {
    let width = lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
    let broken = lessons
        .iter()
        .find(|l| l.status() == LessonStatus::DoesNotCompile);
    for lesson in lessons {
        let _ = writeln!(
            out,
            "  {} {:>2} {:width$}  {}",
            mark(lesson.status(), style),
            lesson.number,
            lesson.id,
            status_words(lesson, broken)
        );
    }
}

/// Renders the whole report.
pub fn render(lessons: &[LessonResult], context: &Context, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Grading {} on the {} clock\n",
        context.subject, context.clock
    );
    lesson_lines(&mut out, lessons, style);
    let broken = lessons
        .iter()
        .find(|l| l.status() == LessonStatus::DoesNotCompile);
    // A lesson that does not compile comes first: nothing else can be graded until it does.
    if let Some(next) = broken.or_else(|| lessons.iter().find(|l| l.status() != LessonStatus::Done))
    {
        out.push('\n');
        render_lesson(&mut out, next, style);
    }
    for error in &context.stray_compile_errors {
        let _ = writeln!(out, "\n{error}");
    }
    let done = lessons
        .iter()
        .filter(|l| l.status() == LessonStatus::Done)
        .count();
    let (passed, failed) = tally(lessons);
    let (score, max) = lessons
        .iter()
        .map(LessonResult::score)
        .fold((0.0, 0.0), |a, s| (a.0 + s.0, a.1 + s.1));
    out.push('\n');
    if context.interrupted {
        let _ = writeln!(
            out,
            "{}",
            style.warn("Interrupted: only the cases that finished are counted.")
        );
    }
    let _ = writeln!(
        out,
        "Progress: {done}/{} lessons done, score {}/{}",
        lessons.len(),
        format_number(score),
        format_number(max)
    );
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    out
}

/// Renders one lesson in detail: what to fix first and why.
pub fn render_lesson(out: &mut String, lesson: &LessonResult, style: Style) {
    let _ = writeln!(
        out,
        "{} lesson {}, {}: {}",
        style.bold("Next:"),
        lesson.number,
        lesson.id,
        lesson.title
    );
    let _ = writeln!(out, "  file: {}\n", style.bold(&lesson.file));
    match lesson.status() {
        LessonStatus::DoesNotCompile => {
            let _ = writeln!(out, "  {}\n", style.bad("This file does not compile:"));
            for error in &lesson.compile_errors {
                let _ = writeln!(out, "{}", error.rendered.trim_end());
            }
            let _ = writeln!(out, "\n  The other lessons are graded once it compiles.");
            return;
        }
        LessonStatus::Pending => {
            let _ = writeln!(
                out,
                "  Not implemented yet: replace the todo!() in {} with your code.",
                lesson.file
            );
            let _ = writeln!(out, "  {} {}", style.bold("Hint:"), lesson.hint.trim());
            return;
        }
        _ => {}
    }
    let failing: Vec<&CaseResult> = lesson
        .cases
        .iter()
        .filter(|c| c.status != Status::Pass)
        .collect();
    for case in failing.iter().take(DETAILED_CASES) {
        render_case(out, case, style);
    }
    if failing.len() > DETAILED_CASES {
        let _ = writeln!(
            out,
            "  … and {} more failing cases\n",
            failing.len() - DETAILED_CASES
        );
    }
    let _ = writeln!(out, "  {} {}", style.bold("Hint:"), lesson.hint.trim());
}

fn render_case(out: &mut String, case: &CaseResult, style: Style) {
    let _ = writeln!(out, "  {} {}", style.bad("✗"), style.bold(&case.name));
    if case.hidden {
        let _ = writeln!(out, "    (a hidden case: its details are not shown)\n");
        return;
    }
    if let Some(diagnosis) = &case.diagnosis {
        let _ = writeln!(out, "    {}", style.warn(diagnosis));
    }
    for line in case.message.lines() {
        let _ = writeln!(out, "    {line}");
    }
    if let Some(location) = &case.location {
        let _ = writeln!(out, "    at {location}");
    }
    if !case.observed.stderr.trim().is_empty() {
        let _ = writeln!(out, "    stderr (end):");
        for line in case
            .observed
            .stderr
            .trim_end()
            .lines()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            let _ = writeln!(out, "      {}", style.dim(line));
        }
    }
    out.push('\n');
}
