//! The lesson to work on, in detail: what it asks, the file to edit (at the line a failing
//! case points at), its compiler errors or its first failing case and why, and its hint.

use super::lesson_file::{self, instructions, line_of};
use super::{Page, shown_path};
use crate::report::style::Style;
use crate::results::{CaseResult, LessonResult, LessonStatus, Status};
use crate::text::safe;

/// The lesson `lesson` in detail, after the `Next:` headline; `isolated`: the other lessons
/// were graded with stubs in place of this one's functions.
pub(super) fn render_next(page: &mut Page, lesson: &LessonResult, isolated: bool) {
    let style = page.options.style;
    let title = format!(
        "{} lesson {}, {}: {}",
        style.bold("Next:"),
        lesson.number,
        lesson.id,
        lesson.title
    );
    page.prose_hanging(&title, "Next: ".len());
    let source = lesson_file::read(&lesson.file);
    let status = lesson.status();
    if status == LessonStatus::DoesNotCompile {
        let line = lesson.compile_errors.iter().find_map(|e| e.line);
        edit_line(page, lesson, line);
        page.blank();
        page.prose(&format!(
            "  {}",
            style.bad("This file does not compile. The compiler says:")
        ));
        page.blank();
        for error in &lesson.compile_errors {
            if let Some(explanation) = &error.explanation {
                let explanation = safe::compiler(explanation, false);
                page.prose_hanging(&format!("  {}", style.warn(&explanation)), 2);
                page.blank();
            }
            page.raw(safe::compiler(error.rendered.trim_end(), style.color).trim_end());
        }
        page.blank();
        page.prose(if isolated {
            "  The other lessons were graded with a stand-in for this file's functions; a case that calls them says it needs this lesson."
        } else {
            "  The other lessons are graded once it compiles."
        });
        return;
    }
    if let Some(summary) = instructions(&lesson.file, &lesson.id) {
        // The lesson's file is the student's: its header is untrusted text too.
        let summary = safe::lines(&summary);
        page.prose_hanging(&format!("  {}", bold_markdown(&summary, style)), 0);
        page.blank();
    }
    let failing: Vec<&CaseResult> = lesson
        .cases
        .iter()
        .filter(|c| c.status != Status::Pass)
        .collect();
    // The first case whose details can be shown; a hidden one only when all are hidden.
    let shown = failing
        .iter()
        .find(|c| !c.hidden)
        .or(failing.first())
        .copied();
    let line = shown.and_then(|case| case_line(lesson, case, source.as_deref()));
    edit_line(page, lesson, line);
    if status == LessonStatus::Pending {
        page.prose("  Not implemented yet: replace the `todo!()` with your code.");
    } else if let Some(case) = shown {
        page.blank();
        render_case(page, case);
        let others: Vec<&CaseResult> = failing
            .iter()
            .filter(|c| !std::ptr::eq(**c, case))
            .copied()
            .collect();
        let mut named: Vec<&str> = others
            .iter()
            .filter(|c| !c.hidden)
            .map(|c| c.name.as_str())
            .collect();
        // A hidden case's name is one of its details: only how many are failing is said.
        let hidden = others.iter().filter(|c| c.hidden).count();
        let counted = hidden_cases(hidden);
        if hidden > 0 {
            named.push(&counted);
        }
        if !named.is_empty() {
            page.blank();
            page.prose(&format!("  Also failing: {}", named.join("; ")));
        }
    }
    if page.options.hint {
        page.blank();
        let hint = format!("  {} {}", style.bold("Hint:"), lesson.hint.trim());
        page.prose_hanging(&hint, "Hint: ".len());
    }
}

/// `  Edit: path:line`, the path clickable where the terminal allows.
fn edit_line(page: &mut Page, lesson: &LessonResult, line: Option<usize>) {
    let style = page.options.style;
    let text = match line {
        Some(line) => format!("{}:{line}", lesson.file),
        None => lesson.file.clone(),
    };
    let shown = shown_path(&text, page.options, &lesson.file);
    page.prose(&format!("  {} {shown}", style.bold("Edit:")));
}

/// The line a case points at: where it panicked or what the source check found, when that is
/// in the lesson's file; else its function's `todo!()` or signature.
pub fn case_line(lesson: &LessonResult, case: &CaseResult, source: Option<&str>) -> Option<usize> {
    let file_name = std::path::Path::new(&lesson.file).file_name()?.to_str()?;
    let from_location = case
        .location
        .as_deref()
        .and_then(|location| location.split_once(file_name))
        .and_then(|(_, rest)| rest.strip_prefix(':'))
        .and_then(|rest| rest.split(':').next())
        .and_then(|line| line.parse().ok());
    from_location.or_else(|| {
        line_of(
            source?,
            &case.function,
            case.status == Status::NotImplemented,
        )
    })
}

/// `**text**` in bold; the rest as written.
fn bold_markdown(text: &str, style: Style) -> String {
    let parts: Vec<&str> = text.split("**").collect();
    if parts.len().is_multiple_of(2) {
        // Unbalanced: leave it alone.
        return text.to_string();
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                style.bold(part)
            } else {
                part.to_string()
            }
        })
        .collect()
}

/// What a hidden case is called where its name would be: its name is one of its details.
pub const HIDDEN_CASE: &str = "a hidden case";

/// `n` hidden cases, in words (`a hidden case`, `3 hidden cases`).
pub fn hidden_cases(n: usize) -> String {
    match n {
        1 => HIDDEN_CASE.to_string(),
        n => format!("{n} hidden cases"),
    }
}

fn render_case(page: &mut Page, case: &CaseResult) {
    let style = page.options.style;
    if case.hidden {
        page.prose(&format!("  {} {}", style.bad("✗"), style.bold(HIDDEN_CASE)));
        page.prose("    (its name and details are not shown)");
        return;
    }
    page.prose(&format!("  {} {}", style.bad("✗"), style.bold(&case.name)));
    // Diagnoses, messages and stderr quote what the code printed and panicked with: every
    // control character is escaped before it reaches the terminal.
    if let Some(diagnosis) = &case.diagnosis {
        page.prose(&format!("    {}", style.warn(&safe::line(diagnosis))));
    }
    if let Some(evidence) = &case.evidence {
        page.prose(&format!("    {}", safe::line(evidence)));
    }
    for line in case.message.split('\n') {
        page.prose(&format!("    {}", safe::line(line)));
    }
    if let Some(location) = &case.location {
        page.prose(&format!("    at {}", safe::line(location)));
    }
    if !case.observed.stderr.trim().is_empty() {
        page.raw("    stderr (end):");
        let lines: Vec<&str> = case.observed.stderr.trim_end().split('\n').collect();
        for line in &lines[lines.len().saturating_sub(6)..] {
            page.raw(&format!("      {}", style.dim(&safe::line(line))));
        }
    }
    if let Some(timeline) = &case.timeline {
        page.raw("    what ran when (one more call, recorded):");
        let look = crate::timeline::term::Look::new(
            page.options.terminal.width,
            style.color,
            style.unicode,
        );
        page.raw(crate::timeline::term::render(timeline, look, 4).trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_bold_becomes_bold() {
        let style = Style {
            color: true,
            unicode: false,
        };
        assert_eq!(
            bold_markdown("does **not** run", style),
            "does \x1b[1mnot\x1b[0m run"
        );
        assert_eq!(bold_markdown("a ** b", style), "a ** b");
    }
}
