//! The report a student reads: one line per lesson, then the lesson to work on next in detail
//! (what it asks, the file to edit, the failing case and why), then the progress.

mod lesson_file;
mod wrap;

use super::safe;
use super::style::{self, Style, Terminal};
use crate::report::numbers::format_number;
use crate::results::{CaseResult, LessonResult, LessonStatus, Status, tally};

pub use lesson_file::{instructions, line_of, resolve, summary};
pub use wrap::wrap;

/// Widest progress bar, in cells.
const BAR_WIDTH: usize = 24;

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
    /// Whether the lessons that compile were graded with stubs in place of those that do not.
    pub isolated: bool,
    /// What confined the code under test (`None`: not said, as in unit tests).
    pub sandbox: Option<crate::os::sandbox::Status>,
    /// The run's seed (`None`: no case ran, or not said, as in unit tests).
    pub seed: Option<u64>,
}

impl Context {
    /// The context of a run of `subject` on `clock` with nothing to note: no stray compile
    /// errors, not interrupted, not isolated, sandbox and seed not said.
    pub fn quiet(subject: &str, clock: &str) -> Self {
        Self {
            subject: subject.into(),
            clock: clock.into(),
            stray_compile_errors: Vec::new(),
            interrupted: false,
            isolated: false,
            sandbox: None,
            seed: None,
        }
    }
}

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

    /// The full report for stdout, using what the terminal can do when it is one.
    pub fn stdout(style: Style) -> Self {
        Self {
            terminal: Terminal::stdout(style),
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

/// The first lesson that does not compile, if any.
fn broken(lessons: &[LessonResult]) -> Option<&LessonResult> {
    lessons
        .iter()
        .find(|l| l.status() == LessonStatus::DoesNotCompile)
}

/// The lesson to work on: one that does not compile comes first (nothing else is graded
/// until it does), then the first that is not done.
pub fn next_lesson(lessons: &[LessonResult]) -> Option<&LessonResult> {
    broken(lessons).or_else(|| lessons.iter().find(|l| l.status() != LessonStatus::Done))
}

/// Renders one line per lesson, where to go next, and the progress (`checker list`, and `l`
/// in watch mode).
pub fn render_list(lessons: &[LessonResult], options: &Options) -> String {
    let mut page = Page {
        out: String::new(),
        options,
    };
    lesson_lines(&mut page, lessons, false);
    page.blank();
    if let Some(next) = next_lesson(lessons) {
        let file = shown_path(&next.file, page.options, &next.file);
        page.prose(&format!(
            "{} lesson {}, {}, in {file}",
            options.style.bold("Next:"),
            next.number,
            next.id
        ));
        page.blank();
    }
    progress(&mut page, lessons);
    page.out
}

/// One line per lesson: mark, number, id, (with `scores`) points earned of possible, status.
fn lesson_lines(page: &mut Page, lessons: &[LessonResult], scores: bool) {
    let style = page.options.style;
    let width = lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
    let score = |lesson: &LessonResult| {
        let (got, max) = lesson.score();
        format!("{}/{}", format_number(got), format_number(max))
    };
    let score_width = lessons.iter().map(|l| score(l).len()).max().unwrap_or(0);
    let broken = broken(lessons);
    for lesson in lessons {
        let points = if scores {
            format!("{:>score_width$} pt  ", score(lesson))
        } else {
            String::new()
        };
        page.prose(&format!(
            "  {} {:>2} {:width$}  {points}{}",
            mark(lesson.status(), style),
            lesson.number,
            lesson.id,
            status_words(lesson, broken)
        ));
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

/// The progress line (with a bar on a terminal), then the summary line, always last.
fn progress(page: &mut Page, lessons: &[LessonResult]) {
    let style = page.options.style;
    let done = lessons
        .iter()
        .filter(|l| l.status() == LessonStatus::Done)
        .count();
    let (score, max) = crate::points::total(lessons);
    let counts = format!(
        "{done}/{} lessons done, score {}/{}",
        lessons.len(),
        format_number(score),
        format_number(max)
    );
    let terminal = page.options.terminal;
    let bar = terminal.bar.then(|| {
        // The bar shrinks on a narrow terminal so that the line still fits.
        let room = terminal
            .width
            .map_or(BAR_WIDTH, |w| w.saturating_sub(counts.len() + 12));
        room.min(BAR_WIDTH)
    });
    match bar {
        Some(cells) if cells >= 5 => page.prose(&format!(
            "Progress: {} {counts}",
            style::bar(done, lessons.len(), cells, style)
        )),
        _ => page.prose(&format!("Progress: {counts}")),
    }
    let (passed, failed) = tally(lessons);
    page.raw(&format!("{passed} passed, {failed} failed"));
}

fn render_next(page: &mut Page, lesson: &LessonResult, isolated: bool) {
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

/// `text` naming the file `file`: styled as a path, and a hyperlink where the terminal allows.
fn shown_path(text: &str, options: &Options, file: &str) -> String {
    let styled = options.style.path(text);
    if options.terminal.hyperlinks {
        style::hyperlink(&styled, &resolve(file))
    } else {
        styled
    }
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
        let look =
            crate::timeline::term::Look::for_report(page.options.terminal.width, style.color);
        page.raw(crate::timeline::term::render(timeline, look, 4).trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::CaseResult;

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
        let text = render(&lessons, &context(), Style { color: false });
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
            style: Style { color: false },
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
        let text = render(&lessons, &context(), Style { color: false });
        assert!(text.contains("All done"), "{text}");
        assert!(!text.contains("Next:"), "{text}");
    }

    #[test]
    fn a_panic_in_the_lesson_file_gives_the_edit_line() {
        let mut case = failing("three names");
        case.location = Some("no/such/02_greet.rs:17:5".into());
        let text = render(&[lesson(vec![case])], &context(), Style { color: false });
        assert!(text.contains("  Edit: no/such/02_greet.rs:17\n"), "{text}");
    }

    #[test]
    fn markdown_bold_becomes_bold() {
        let style = Style { color: true };
        assert_eq!(
            bold_markdown("does **not** run", style),
            "does \x1b[1mnot\x1b[0m run"
        );
        assert_eq!(bold_markdown("a ** b", style), "a ** b");
    }

    #[test]
    fn student_text_reaches_the_terminal_escaped() {
        let mut case = failing("three names");
        case.diagnosis = Some("the first line is `\u{1b}[2J`".into());
        case.evidence = Some("what the run showed: \u{7}".into());
        case.message = "line 1: expected `Hello`, got `\u{0}\u{1b}]0;owned\u{7}`\r".into();
        case.observed.stderr = "panicked at \u{1b}[31mboom\u{9b}".into();
        for color in [false, true] {
            let text = render(&[lesson(vec![case.clone()])], &context(), Style { color });
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
