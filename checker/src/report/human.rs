//! The report a student reads: one line per lesson, then the lesson to work on next in detail
//! (what it asks, the file to edit, the failing case and why), then the progress.
//!
//! `lessons.rs` writes the lesson lines and the progress, `next.rs` the lesson to work on in
//! detail; this file lays out the whole report.

mod lesson_file;
mod lessons;
mod next;
mod wrap;

use super::style::{self, Style, Terminal};
use crate::results::{Context, LessonResult};
use crate::text::safe;

use lessons::{lesson_lines, progress};
use next::render_next;

pub use lesson_file::{instructions, line_of, resolve, summary};
pub use lessons::{next_lesson, render_list};
pub use next::{HIDDEN_CASE, case_line, hidden_cases};
pub use wrap::wrap;

/// How to lay a report out, besides the results.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Colors.
    pub style: Style,
    /// What the output device can do: width, bar, links.
    pub terminal: Terminal,
    /// One line per lesson.
    pub list: bool,
    /// The next lesson's hint.
    pub hint: bool,
}

impl Options {
    /// The full report for a file or a pipe: no wrapping, no bar, no links.
    pub fn plain(style: Style) -> Self {
        Self {
            style,
            terminal: Terminal::none(),
            list: true,
            hint: true,
        }
    }

    /// The full report for stdout, using what its `terminal` can do (resolved once:
    /// [`crate::options::stdout_of`]).
    pub fn stdout(style: Style, terminal: Terminal) -> Self {
        Self {
            terminal,
            ..Self::plain(style)
        }
    }
}

/// A report being written: wraps prose to the terminal's width.
struct Page<'a> {
    out: String,
    options: &'a Options,
}

impl Page<'_> {
    /// A line as it is (compiler output, tables).
    fn raw(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// Prose: wrapped to the width, continuation lines indented two more columns.
    fn prose(&mut self, line: &str) {
        self.prose_hanging(line, 2);
    }

    /// Prose whose continuation lines are indented `hang` more columns than its first.
    fn prose_hanging(&mut self, line: &str, hang: usize) {
        for part in wrap(line, self.options.terminal.width, hang) {
            self.raw(&part);
        }
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }
}

/// Renders the whole report, for a file or a pipe.
pub fn render(lessons: &[LessonResult], context: &Context, style: Style) -> String {
    render_with(lessons, context, &Options::plain(style))
}

/// Renders the report with `options`. Its last line is always `N passed, M failed`.
pub fn render_with(lessons: &[LessonResult], context: &Context, options: &Options) -> String {
    let mut page = Page {
        out: String::new(),
        options,
    };
    let style = options.style;
    page.prose(&format!(
        "Grading {} on the {} clock",
        context.subject, context.clock
    ));
    if options.list {
        page.blank();
        lesson_lines(&mut page, lessons, true);
    }
    match next_lesson(lessons) {
        Some(next) => {
            page.blank();
            render_next(&mut page, next, context.isolated);
        }
        None if !lessons.is_empty() && !context.interrupted => {
            page.blank();
            page.prose(&style.good("All done: every case passes. Well done!"));
        }
        None => {}
    }
    for error in &context.stray_compile_errors {
        page.blank();
        page.raw(safe::compiler(error.trim_end(), style.color).trim_end());
    }
    page.blank();
    if context.interrupted {
        page.prose(
            &style.warn("Interrupted: the cases that did not finish count as errors (0 points)."),
        );
    }
    if let Some(sandbox) = &context.sandbox {
        page.prose(&format!("Sandbox: {sandbox}"));
    }
    if let Some(seed) = context.seed {
        page.prose(&crate::seed::replay_note(seed));
    }
    progress(&mut page, lessons);
    page.out
}

/// `text` naming the file `file`: styled as a path, and a hyperlink where the terminal allows.
fn shown_path(text: &str, options: &Options, file: &str) -> String {
    let styled = options.style.path(text);
    if options.terminal.hyperlinks {
        style::hyperlink(&styled, &resolve(file))
    } else {
        styled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{CaseResult, Status};

    fn lesson(cases: Vec<CaseResult>) -> LessonResult {
        LessonResult {
            number: 2,
            id: "greet".into(),
            title: "Greet".into(),
            file: "no/such/02_greet.rs".into(),
            hint: "Use join_all.".into(),
            cases,
            compile_errors: Vec::new(),
        }
    }

    fn context() -> Context {
        Context::quiet("exercises", "virtual")
    }

    fn failing(name: &str) -> CaseResult {
        let mut case = CaseResult::new(name, "greet_all", Status::Fail, 1.0, false)
            .with_message("took 3 s on the virtual clock; expected 1 s");
        case.diagnosis = Some("ran the greetings one after another".into());
        case
    }

    #[test]
    fn the_first_failing_case_is_shown_in_detail_and_the_others_named() {
        let lessons = [lesson(vec![
            CaseResult::new("greet says hello", "greet", Status::Pass, 1.0, false),
            failing("three names"),
            failing("five names"),
        ])];
        let text = render(&lessons, &context(), Style::PLAIN);
        assert!(
            text.contains("  ✗  2 greet  1/3 pt  failing: 1 of 3 cases pass"),
            "{text}"
        );
        assert!(text.contains("Next: lesson 2, greet: Greet"), "{text}");
        assert!(text.contains("  Edit: no/such/02_greet.rs\n"), "{text}");
        assert!(
            text.contains("  ✗ three names\n    ran the greetings"),
            "{text}"
        );
        assert!(text.contains("expected 1 s"), "{text}");
        assert!(
            text.contains("expected 1 s\n\n  Also failing: five names\n\n  Hint"),
            "{text}"
        );
        assert!(!text.contains("✗ five names"), "{text}");
        assert!(text.contains("  Hint: Use join_all."), "{text}");
        assert!(text.ends_with("Progress: 0/1 lessons done, score 1/3\n1 passed, 2 failed\n"));
    }

    #[test]
    fn a_terminal_gets_a_bar_wrapped_prose_and_no_hint_when_asked() {
        let lessons = [lesson(vec![failing("three names")])];
        let options = Options {
            style: Style::PLAIN,
            terminal: Terminal {
                width: Some(50),
                bar: true,
                hyperlinks: false,
            },
            list: false,
            hint: false,
        };
        let text = render_with(&lessons, &context(), &options);
        assert!(!text.contains("Hint:"), "{text}");
        assert!(!text.contains("  ✗  2 greet"), "{text}");
        assert!(
            text.contains("Progress: ░░░░░░░░░░░ 0/1 lessons done"),
            "{text}"
        );
        for line in text.lines() {
            assert!(style::visible_width(line) <= 50, "{line:?} in\n{text}");
        }
    }

    #[test]
    fn everything_done_says_so() {
        let lessons = [lesson(vec![CaseResult::new(
            "greet",
            "greet",
            Status::Pass,
            1.0,
            false,
        )])];
        let text = render(&lessons, &context(), Style::PLAIN);
        assert!(text.contains("All done"), "{text}");
        assert!(!text.contains("Next:"), "{text}");
    }

    #[test]
    fn a_panic_in_the_lesson_file_gives_the_edit_line() {
        let mut case = failing("three names");
        case.location = Some("no/such/02_greet.rs:17:5".into());
        let text = render(&[lesson(vec![case])], &context(), Style::PLAIN);
        assert!(text.contains("  Edit: no/such/02_greet.rs:17\n"), "{text}");
    }

    #[test]
    fn student_text_reaches_the_terminal_escaped() {
        let mut case = failing("three names");
        case.diagnosis = Some("the first line is `\u{1b}[2J`".into());
        case.evidence = Some("what the run showed: \u{7}".into());
        case.message = "line 1: expected `Hello`, got `\u{0}\u{1b}]0;owned\u{7}`\r".into();
        case.observed.stderr = "panicked at \u{1b}[31mboom\u{9b}".into();
        for color in [false, true] {
            let text = render(
                &[lesson(vec![case.clone()])],
                &context(),
                Style {
                    color,
                    unicode: false,
                },
            );
            assert!(
                !text.contains(['\u{0}', '\u{7}', '\r', '\u{9b}']),
                "{text:?}"
            );
            for (at, _) in text.match_indices('\u{1b}') {
                let rest = &text[at + 1..];
                let sgr = rest.strip_prefix('[').is_some_and(|r| {
                    r.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                        .starts_with('m')
                });
                assert!(color && sgr, "{text:?}");
            }
            assert!(text.contains("\\x1b[2J"), "{text:?}");
            assert!(text.contains("\\0\\x1b]0;owned\\x07`\\r"), "{text:?}");
        }
    }
}
