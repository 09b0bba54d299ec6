//! `checker timeline LESSON [--case NAME] [--html FILE]`: what ran when, for any case, drawn
//! from a recorded run of it ([`crate::timeline::record`]).

use std::path::PathBuf;

use clap::Args;

use crate::cargo_build::{self, Build};
use crate::exit::{self, Error, ResultExt};
use crate::options::GradeArgs;
use crate::results::CaseTimeline;
use crate::session::Session;
use crate::spec::{Case, CaseKind};
use crate::supervise::Runner;
use crate::timeline::record::{Recorder, write_html};
use crate::timeline::term::{self, Look};

/// Options of `checker timeline`.
#[derive(Debug, Clone, Args)]
pub struct TimelineArgs {
    /// Only the case of this name (or the cases whose name contains it).
    #[arg(long, value_name = "NAME")]
    pub case: Option<String>,

    /// Write the timelines to this HTML file (self-contained: open it in any browser).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Columns to draw in (60 to 100; default: the terminal's, 100 when not a terminal).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<usize>,

    /// The lesson, and what to run it on.
    #[command(flatten)]
    pub grade: GradeArgs,
}

/// Prints (or writes) the timeline of each case of the lesson.
pub fn run(args: &TimelineArgs) -> Result<u8, crate::exit::Error> {
    if args.grade.lesson.is_none() {
        return Err(Error::Usage(anyhow::anyhow!(
            "name a lesson: `checker timeline wait_n` (or its number)"
        )));
    }
    let session = Session::new(&args.grade)?;
    let Some(lesson) = session.lessons.first() else {
        return Err(Error::Usage(anyhow::anyhow!("no lesson to draw")));
    };
    let cases: Vec<&Case> = lesson
        .cases
        .iter()
        .filter(|c| matches!(c.kind, CaseKind::Call(_)))
        // A hidden case is neither drawn nor named (`--show-hidden` draws it).
        .filter(|c| !c.hidden || args.grade.show_hidden)
        .filter(|c| {
            args.case
                .as_ref()
                .is_none_or(|name| c.name == *name || c.name.contains(name.as_str()))
        })
        .collect();
    if cases.is_empty() {
        return Err(Error::Usage(anyhow::anyhow!(
            "lesson {} has no case that calls a function{}",
            lesson.id,
            args.case
                .as_ref()
                .map(|n| format!(" named `{n}`"))
                .unwrap_or_default()
        )));
    }
    let runner = runner_of(&session)?;
    let recorder = Recorder {
        supervisor: &session.supervisor,
        runner: &runner,
        clock: session.options.clock,
        seed: session.options.seed,
    };
    let timelines = recorder.record(lesson, &cases);
    match &args.html {
        Some(path) => {
            let sections: Vec<(String, CaseTimeline)> = timelines
                .into_iter()
                .map(|t| {
                    (
                        format!("lesson {} {}: {}", lesson.number, lesson.id, t.case),
                        t,
                    )
                })
                .collect();
            let title = format!(
                "asynclings timeline: {} ({})",
                lesson.id,
                session.options.subject()
            );
            write_html(path, &title, &sections)?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            let width = session.options.stdout.width;
            let mut look = Look::new(
                width,
                session.options.style.color,
                session.options.style.unicode,
            );
            if let Some(width) = args.width {
                look.width = width;
            }
            let mut out = String::new();
            for timeline in &timelines {
                out.push_str(&format!("{}\n", session.options.style.bold(&timeline.case)));
                out.push_str(&term::render(timeline, look, 2));
                out.push('\n');
            }
            crate::report::output::write_stdout(&out)?;
        }
    }
    Ok(exit::PASS)
}

/// The runner that records: the one given (`--runner`), or the package's, built as grading
/// builds it (a build cargo finds fresh when the lesson was just graded).
fn runner_of(session: &Session) -> Result<Runner, Error> {
    let path = match &session.options.runner {
        Some(path) => std::fs::canonicalize(path)
            .map_err(|e| anyhow::anyhow!("cannot use the runner {}: {e}", path.display()))
            .or_fail(Error::Usage)?,
        None => {
            let bin = format!("{}-runner", session.options.package);
            match cargo_build::build(&session.build_request(&bin)).or_fail(Error::Build)? {
                Build::Built(path) => path,
                Build::Failed {
                    errors,
                    cargo_output,
                } => {
                    let said = match errors.first() {
                        Some(error) => error.rendered.clone(),
                        None => last_lines(&cargo_output, 20),
                    };
                    return Err(anyhow::anyhow!(
                        "{} does not build, so nothing can be drawn (grade it to see why):\n{said}",
                        session.options.package
                    ))
                    .or_fail(Error::Build);
                }
            }
        }
    };
    Ok(Runner {
        path,
        variant: session.options.variant.clone(),
    })
}

/// The last `n` lines of `text`.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
