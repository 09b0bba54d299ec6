//! What machine reports share: hidden cases redacted, student output capped, plain text.

use std::fmt::Write;

use crate::results::{CaseResult, LessonResult, Status};
use crate::text::numbers::secs;
use asynclings_runner::protocol::Line;

/// Most bytes of each piece of student text a machine report carries: the lines a case
/// printed (together), its stderr, and its message (which may quote printed lines). What is cut
/// is counted and a note says so ([`cut_note`]).
pub const OUTPUT_CAP: usize = 4096;

/// What a hidden case shows instead of its details.
pub const HIDDEN: &str = "hidden case: its details are not shown";

/// Results as a student may see them: hidden cases keep their verdict and points, not their
/// details; each piece of student text is cut at [`OUTPUT_CAP`] bytes; compiler errors in no
/// lesson's file (`build_errors`) are added to every case's message, since every case is
/// ungraded because of them.
pub fn visible(
    lessons: &[LessonResult],
    show_hidden: bool,
    build_errors: &[String],
) -> Vec<LessonResult> {
    let mut lessons = lessons.to_vec();
    for case in lessons.iter_mut().flat_map(|l| l.cases.iter_mut()) {
        if case.hidden && !show_hidden {
            let (status, points, max_points, name, function) = (
                case.status,
                case.points,
                case.max_points,
                case.name.clone(),
                case.function.clone(),
            );
            let not_graded = case.not_graded().then(|| case.message.clone());
            let reason = case.reason.take().filter(|r| r.not_graded());
            *case = CaseResult::new(&name, &function, status, max_points, true);
            case.points = points;
            case.reason = reason;
            if let Some(message) = not_graded {
                // Says nothing about the case, and tells the student why it has no points.
                case.message = message;
            } else if status != Status::Pass {
                case.message = HIDDEN.to_string();
            }
        } else {
            cap_stdout(case);
            case.message = cap_head(&case.message);
            case.observed.stderr = cap_tail(&case.observed.stderr);
        }
        if !build_errors.is_empty() {
            case.message = format!("{}\n\n{}", case.message, build_errors_text(build_errors))
                .trim_start()
                .to_string();
        }
    }
    lessons
}

/// The compiler's errors outside the lesson files, as plain text.
pub fn build_errors_text(build_errors: &[String]) -> String {
    let errors: Vec<String> = build_errors
        .iter()
        .map(|e| plain(e).trim_end().to_string())
        .collect();
    format!("The compiler says:\n{}", errors.join("\n\n"))
}

/// The note that ends a piece of student text cut at [`OUTPUT_CAP`]: `dropped` bytes not shown.
pub fn cut_note(dropped: u64) -> String {
    format!(
        "[{dropped} more bytes not shown: student output in reports is cut at {OUTPUT_CAP} bytes]"
    )
}

/// `text` cut to its first [`OUTPUT_CAP`] bytes (on a character boundary), with a note.
fn cap_head(text: &str) -> String {
    if text.len() <= OUTPUT_CAP {
        return text.to_string();
    }
    let mut end = OUTPUT_CAP;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n{}", &text[..end], cut_note((text.len() - end) as u64))
}

/// `text` cut to its last [`OUTPUT_CAP`] bytes (where panics and aborts are), with a note.
fn cap_tail(text: &str) -> String {
    if text.len() <= OUTPUT_CAP {
        return text.to_string();
    }
    let mut start = text.len() - OUTPUT_CAP;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("{}\n{}", cut_note(start as u64), &text[start..])
}

/// Keeps the first lines of stdout that fit in [`OUTPUT_CAP`] bytes; counts the rest as dropped.
fn cap_stdout(case: &mut CaseResult) {
    let mut used = 0;
    let keep = case
        .observed
        .stdout
        .iter()
        .take_while(|line| {
            used += line.text.len() + 1;
            used <= OUTPUT_CAP
        })
        .count();
    let dropped: usize = case.observed.stdout[keep..]
        .iter()
        .map(|l| l.text.len() + 1)
        .sum();
    case.observed.stdout.truncate(keep);
    case.observed.stdout_dropped += dropped as u64;
}

/// Removes ANSI color sequences (compiler messages rendered for a terminal).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The whole story of one case as plain text: diagnosis, what failed, where, what it printed.
pub fn case_text(lesson: &LessonResult, case: &CaseResult) -> String {
    let mut out = String::new();
    if let Some(diagnosis) = &case.diagnosis {
        let _ = writeln!(out, "{diagnosis}");
    }
    if let Some(evidence) = &case.evidence {
        let _ = writeln!(out, "{evidence}");
    }
    if !case.message.is_empty() {
        let _ = writeln!(out, "{}", case.message);
    }
    if let Some(location) = &case.location {
        let _ = writeln!(out, "at {location}");
    }
    for error in &lesson.compile_errors {
        if let Some(explanation) = &error.explanation {
            let _ = writeln!(out, "{explanation}");
        }
        let _ = writeln!(out, "{}", plain(&error.rendered));
    }
    let already_shown = case.message.contains("printed (time on the clock");
    if !already_shown && (!case.observed.stdout.is_empty() || case.observed.stdout_dropped > 0) {
        let _ = writeln!(
            out,
            "{}",
            describe_stdout(&case.observed.stdout, case.observed.stdout_dropped)
        );
    }
    if !case.observed.stderr.is_empty() {
        let _ = writeln!(out, "stderr (end):\n{}", case.observed.stderr.trim_end());
    }
    out.trim_end().to_string()
}

/// Printed lines with their times, and a note when some were cut.
pub fn describe_stdout(lines: &[Line], dropped: u64) -> String {
    let mut out = String::from("printed (time on the clock, line):");
    for line in lines {
        let _ = write!(out, "\n  {:>8}  {}", secs(line.at), line.text);
    }
    if dropped > 0 {
        let _ = write!(out, "\n  {}", cut_note(dropped));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(hidden: bool, lines: usize) -> CaseResult {
        let mut case = CaseResult::new("c", "f", Status::Fail, 2.0, hidden);
        case.message = "secret expectation".into();
        case.observed.stdout = (0..lines)
            .map(|i| Line {
                text: format!("line {i:04} {}", "x".repeat(90)),
                at: 0.0,
                raw: None,
            })
            .collect();
        case
    }

    fn lesson(cases: Vec<CaseResult>) -> LessonResult {
        LessonResult::of_cases(cases)
    }

    #[test]
    fn hidden_cases_keep_verdict_and_points_but_not_details() {
        let shown = visible(&[lesson(vec![case(true, 3)])], false, &[]);
        let case = &shown[0].cases[0];
        assert_eq!(case.status, Status::Fail);
        assert_eq!(case.max_points, 2.0);
        assert_eq!(case.message, HIDDEN);
        assert!(case.observed.stdout.is_empty());
        let instructor = visible(&[lesson(vec![case_with_message()])], true, &[]);
        assert_eq!(instructor[0].cases[0].message, "secret expectation");
    }

    fn case_with_message() -> CaseResult {
        case(true, 0)
    }

    #[test]
    fn student_output_is_capped_and_counted() {
        let shown = visible(&[lesson(vec![case(false, 1000)])], false, &[]);
        let case = &shown[0].cases[0];
        let kept: usize = case.observed.stdout.iter().map(|l| l.text.len() + 1).sum();
        assert!(kept <= OUTPUT_CAP);
        assert_eq!(kept as u64 + case.observed.stdout_dropped, 1000 * 101);
        assert!(case_text(&shown[0], case).contains("more bytes not shown"));
    }

    #[test]
    fn every_piece_of_student_text_is_capped_with_a_note() {
        let mut long = case(false, 0);
        long.message = format!("expected A, printed {}", "é".repeat(5000));
        long.observed.stderr = format!("{}panicked at the end", "x".repeat(10_000));
        let shown = visible(&[lesson(vec![long])], false, &[]);
        let case = &shown[0].cases[0];
        assert!(
            case.message.len() < OUTPUT_CAP + 200,
            "{}",
            case.message.len()
        );
        assert!(case.message.starts_with("expected A"));
        assert!(case.message.contains("more bytes not shown"));
        assert!(case.observed.stderr.len() < OUTPUT_CAP + 200);
        assert!(case.observed.stderr.ends_with("panicked at the end"));
        assert!(case.observed.stderr.contains("more bytes not shown"));
    }

    #[test]
    fn build_errors_reach_every_case() {
        let shown = visible(
            &[lesson(vec![case(true, 0), case(false, 0)])],
            false,
            &["\x1b[31merror\x1b[0m: in lib.rs".to_string()],
        );
        for case in &shown[0].cases {
            assert!(
                case.message.contains("error: in lib.rs"),
                "{}",
                case.message
            );
        }
    }

    #[test]
    fn ansi_colors_are_removed() {
        assert_eq!(plain("\x1b[1m\x1b[31merror\x1b[0m: x"), "error: x");
    }
}
