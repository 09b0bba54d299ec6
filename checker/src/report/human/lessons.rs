//! The lessons at a glance: one line per lesson, the lesson to work on next, and the
//! progress line that ends every report.

use super::{Options, Page, shown_path};
use crate::report::style::{self, Style};
use crate::results::{LessonResult, LessonStatus, Status, tally};
use crate::text::numbers::format_number;

/// Widest progress bar, in cells.
const BAR_WIDTH: usize = 24;

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
pub(super) fn lesson_lines(page: &mut Page, lessons: &[LessonResult], scores: bool) {
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

/// The progress line (with a bar on a terminal), then the summary line, always last.
pub(super) fn progress(page: &mut Page, lessons: &[LessonResult]) {
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
