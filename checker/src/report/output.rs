//! Writing a report: in the format asked, to stdout or a file. A write that fails is an I/O
//! error (exit status 4) naming the file; a reader of stdout that went away is not an error.

use std::path::Path;

use crate::exit::{Error, ResultExt};
use crate::report::human;
use crate::report::style::Style;
use crate::report::{Format, classroom, classroom50, editor, gradescope, json, junit, machine};
use crate::results::Context;
use crate::results::LessonResult;

/// How a report is written.
#[derive(Debug, Clone, Copy)]
pub struct Destination<'a> {
    /// The format.
    pub format: Format,
    /// The file (`None`: stdout).
    pub path: Option<&'a Path>,
    /// Whether hidden cases are shown in full (for instructors).
    pub show_hidden: bool,
    /// Colours for stdout (a file never gets them).
    pub style: Style,
    /// Text to show first in Gradescope's top-level `output`.
    pub note: Option<&'a Path>,
    /// Who and what was graded, for the `classroom50` format (read from the environment once,
    /// with the run's options).
    pub classroom50: &'a classroom50::Identity,
}

/// The results a person reads: hidden cases stay hidden unless `show_hidden`.
pub fn shown_results(results: &[LessonResult], show_hidden: bool) -> Vec<LessonResult> {
    let mut results = results.to_vec();
    if show_hidden {
        for case in results.iter_mut().flat_map(|l| l.cases.iter_mut()) {
            case.hidden = false;
        }
    }
    results
}

/// The report of `results` in `to.format`; `elapsed` is the run's wall time, seconds.
///
/// # Errors
/// The JUnit writer fails (it cannot: kept for its signature's sake) .
pub fn render(
    results: &[LessonResult],
    context: &Context,
    elapsed: f64,
    to: &Destination<'_>,
) -> anyhow::Result<String> {
    let visible = || machine::visible(results, to.show_hidden, &context.stray_compile_errors);
    Ok(match to.format {
        Format::Human => {
            let style = if to.path.is_some() {
                Style {
                    color: false,
                    ..to.style
                }
            } else {
                to.style
            };
            human::render(&shown_results(results, to.show_hidden), context, style)
        }
        Format::Json => json::render(&visible(), context),
        Format::Junit => junit::render(&visible(), context)?,
        Format::Gradescope => {
            gradescope::with_note(gradescope::render(&visible(), context, elapsed), to.note)
        }
        Format::GithubClassroom => classroom::render(&visible(), context),
        Format::Classroom50 => classroom50::render(&visible(), context, to.classroom50),
        Format::CargoJson => editor::render(&visible(), context),
    })
}

/// Writes the report of `results` to `to`.
///
/// # Errors
/// The file (or stdout) cannot be written: an I/O error naming it.
pub fn write(
    results: &[LessonResult],
    context: &Context,
    elapsed: f64,
    to: &Destination<'_>,
) -> Result<(), Error> {
    let text = render(results, context, elapsed, to).or_fail(Error::Io)?;
    match to.path {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("cannot write the report to {}: {e}", path.display()))
            .or_fail(Error::Io),
        None => write_stdout(&text),
    }
}

/// Writes to stdout; a reader that went away (`checker | head`) is not an error.
pub fn write_stdout(text: &str) -> Result<(), Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other
            .map_err(|e| anyhow::anyhow!("cannot write the report: {e}"))
            .or_fail(Error::Io),
    }
}
