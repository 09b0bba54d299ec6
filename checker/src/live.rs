//! Grading with a live progress line on stderr (when it is a terminal): a bar over the cases,
//! the elapsed time, and the case now running. The student commands that grade (`checker`,
//! `list`, `watch`) all show it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report;
use crate::results::CaseResult;
use crate::session::{Graded, Session};
use crate::spec::{Case, Lesson};

/// Grades `session`, showing progress on stderr when it is a terminal: a bar over the cases,
/// the elapsed time, and the case now running (one at a time on the real clock).
pub fn grade_with_progress(session: &Session) -> Result<Graded, crate::exit::Error> {
    let show_hidden = session.options.show_hidden;
    // In the order they run: the visible cases, then the hidden ones (crate::grade).
    type Cases<'a> = Vec<(&'a Lesson, &'a Case)>;
    let (visible, hidden): (Cases<'_>, Cases<'_>) = session
        .lessons
        .iter()
        .flat_map(|lesson| lesson.cases.iter().map(move |case| (lesson, case)))
        .partition(|(_, case)| !case.hidden);
    let cases: Vec<String> = visible
        .into_iter()
        .chain(hidden)
        .map(|(lesson, case)| {
            let name = if case.hidden && !show_hidden {
                report::human::HIDDEN_CASE
            } else {
                case.name.as_str()
            };
            format!("lesson {} {}: {name}", lesson.number, lesson.id)
        })
        .collect();
    let bar = progress_bar(
        cases.len() as u64,
        session.options.style.color,
        session.options.terminal.stderr,
    );
    bar.set_message(match &session.options.runner {
        Some(_) => "starting the runner".to_string(),
        None => format!("building {} with cargo", session.options.package),
    });
    bar.enable_steady_tick(Duration::from_millis(120));
    // One case at a time: the next to run is known, so say which (the real clock's long cases).
    let one_at_a_time = session.options.jobs == 1;
    // Built: the label says what runs now, not the build any more.
    let on_ready = || {
        bar.set_message(ready_label(&cases, one_at_a_time));
    };
    let finished = AtomicUsize::new(0);
    let on_result = |result: &CaseResult| {
        let done = finished.fetch_add(1, Ordering::Relaxed) + 1;
        bar.set_position(done as u64);
        match cases.get(done).filter(|_| one_at_a_time) {
            Some(next) => bar.set_message(format!("running {next}")),
            None if result.hidden && !show_hidden => {
                bar.set_message(format!("finished {}", report::human::HIDDEN_CASE));
            }
            None => bar.set_message(format!("finished {}", result.name)),
        }
    };
    let graded = session.grade_with(&on_result, &on_ready);
    bar.finish_and_clear();
    graded
}

/// The progress label once the runner is ready: the first case when cases run one at a time.
fn ready_label(cases: &[String], one_at_a_time: bool) -> String {
    match cases.first().filter(|_| one_at_a_time) {
        Some(first) => format!("running {first}"),
        None => "running the cases".to_string(),
    }
}

/// A bar on stderr, hidden when stderr is not a `terminal`.
fn progress_bar(total: u64, color: bool, terminal: bool) -> ProgressBar {
    if !terminal {
        return ProgressBar::hidden();
    }
    let template = if color {
        "{spinner:.cyan} {elapsed:>4} [{bar:24.green/dim}] {pos}/{len} cases  {wide_msg}"
    } else {
        "{spinner} {elapsed:>4} [{bar:24}] {pos}/{len} cases  {wide_msg}"
    };
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("█▌░");
    ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_built_the_label_names_the_first_case_not_the_build() {
        let cases = ["lesson 1 say_hello: prints".to_string()];
        assert_eq!(
            ready_label(&cases, true),
            "running lesson 1 say_hello: prints"
        );
        assert_eq!(ready_label(&cases, false), "running the cases");
        assert!(!ready_label(&[], true).contains("building"));
    }
}
