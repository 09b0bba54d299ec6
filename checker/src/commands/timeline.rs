//! `checker timeline LESSON [--case NAME] [--html FILE]`: what ran when, for any case.
//!
//! Also what the grading commands call to put a timeline under a failing timing case
//! ([`attach`]) and to write a whole run's timelines as one HTML page.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::exit::{self, Failure, ResultExt};
use crate::grade::call;
use crate::options::GradeArgs;
use crate::results::{LessonResult, Status};
use crate::session::{Graded, Session};
use crate::spec::{Case, CaseKind, Lesson};
use crate::supervise::{Observed, Runner};
use crate::timeline::term::{self, Look};
use crate::timeline::{self as tl, CaseTimeline, build, html};

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
pub fn run(args: &TimelineArgs) -> anyhow::Result<u8> {
    if args.grade.lesson.is_none() {
        anyhow::bail!("name a lesson: `checker timeline wait_n` (or its number)");
    }
    let session = Session::new(&args.grade)?;
    let Some(lesson) = session.lessons.first() else {
        anyhow::bail!("no lesson to draw");
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
        anyhow::bail!(
            "lesson {} has no case that calls a function{}",
            lesson.id,
            args.case
                .as_ref()
                .map(|n| format!(" named `{n}`"))
                .unwrap_or_default()
        );
    }
    eprintln!("{}", building_notice(&session));
    let runner = timeline_runner(&session)?;
    let timelines = record(&session, lesson, &cases, &runner);
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
            let title = format!("asynclings timeline: {} ({})", lesson.id, subject(&session));
            write_html(path, &title, &sections)?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            let mut look = Look::detect(session.style.color);
            if let Some(width) = args.width {
                look.width = width;
            }
            let mut out = String::new();
            for timeline in &timelines {
                out.push_str(&format!("{}\n", session.style.bold(&timeline.case)));
                out.push_str(&term::render(timeline, look, 2));
                out.push('\n');
            }
            crate::report::output::write_stdout(&out)?;
        }
    }
    Ok(exit::PASS)
}

fn subject(session: &Session) -> String {
    match &session.args.variant {
        Some(variant) => format!("{} ({variant})", session.package),
        None => session.package.clone(),
    }
}

fn building_notice(session: &Session) -> String {
    let fresh = !build::target_dir(&session.root).exists();
    format!(
        "building the timeline runner (tokio with --cfg tokio_unstable, in {}){}",
        crate::grade::shown(&build::target_dir(&session.root), &session.root),
        if fresh {
            ": the first time compiles every dependency once, about a minute"
        } else {
            ""
        }
    )
}

/// Writes an HTML page of timelines.
pub fn write_html(
    path: &Path,
    title: &str,
    sections: &[(String, CaseTimeline)],
) -> anyhow::Result<()> {
    std::fs::write(path, html::page(title, sections))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
        .or_fail(Failure::Io)
}

/// Builds the timeline runner of what the session grades.
pub fn timeline_runner(session: &Session) -> anyhow::Result<Runner> {
    let package = match &session.args.runner {
        Some(path) => build::package_of_runner(path).ok_or_else(|| {
            anyhow::anyhow!(
                "cannot tell which package {} is the runner of (expected PACKAGE-runner)",
                path.display()
            )
        })?,
        None => session.package.clone(),
    };
    let bin = format!("{package}-runner");
    let path = build::build(&session.build_request_of(&package, &bin))?;
    Ok(Runner {
        path,
        variant: session.args.variant.clone(),
    })
}

/// Runs each case again on the timeline runner and returns what it recorded.
pub fn record(
    session: &Session,
    lesson: &Lesson,
    cases: &[&Case],
    runner: &Runner,
) -> Vec<CaseTimeline> {
    crate::os::become_subreaper();
    let mut timelines = Vec::new();
    for case in cases {
        let CaseKind::Call(call_case) = &case.kind else {
            continue;
        };
        let mut request = call::request(lesson, case, call_case, session.clock, session.seed);
        // One call: a case repeated 20 times is drawn once (its calls are alike).
        request.repeat = 1;
        let (observed, _) = session.supervisor.run_case(runner, &request);
        let Observed::Report(report) = observed else {
            continue;
        };
        let Some(data) = report.timeline else {
            continue;
        };
        timelines.push(CaseTimeline {
            case: case.name.clone(),
            expected: tl::expected_shape(case),
            stdout: report.stdout.into_iter().map(|l| (l.at, l.text)).collect(),
            data: *data,
        });
    }
    timelines
}

/// After grading: puts a timeline on every failing case with a timing expectation (and on
/// every call case when `all`, for an HTML report). The verdicts are not touched.
/// Returns the timelines attached, with their headings.
pub fn attach(session: &Session, graded: &mut Graded, all: bool) -> Vec<(String, CaseTimeline)> {
    if session.clock != asynclings_runner::protocol::ClockMode::Virtual {
        return Vec::new();
    }
    let wanted = |lesson: &Lesson, result: &LessonResult| -> Vec<Case> {
        lesson
            .cases
            .iter()
            .filter(|case| {
                let failed = result
                    .cases
                    .iter()
                    .any(|r| r.name == case.name && r.status == Status::Fail && !r.hidden);
                matches!(case.kind, CaseKind::Call(_))
                    && (!case.hidden || session.args.show_hidden)
                    && !tl::too_large(case)
                    && (all || (failed && tl::has_timing_expectation(case)))
            })
            .cloned()
            .collect()
    };
    let todo: Vec<(usize, Vec<Case>)> = session
        .lessons
        .iter()
        .zip(&graded.results)
        .enumerate()
        .map(|(i, (lesson, result))| (i, wanted(lesson, result)))
        .filter(|(_, cases)| !cases.is_empty())
        .collect();
    if todo.is_empty() {
        return Vec::new();
    }
    eprintln!("{}", building_notice(session));
    let runner = match timeline_runner(session) {
        Ok(runner) => runner,
        Err(error) => {
            eprintln!("warning: no timeline: {error:#}");
            return Vec::new();
        }
    };
    let mut sections = Vec::new();
    for (index, cases) in todo {
        let lesson = &session.lessons[index];
        let refs: Vec<&Case> = cases.iter().collect();
        for timeline in record(session, lesson, &refs, &runner) {
            if let Some(result) = graded.results[index]
                .cases
                .iter_mut()
                .find(|r| r.name == timeline.case)
            {
                result.timeline = Some(Box::new(timeline.clone()));
            }
            sections.push((
                format!("lesson {} {}: {}", lesson.number, lesson.id, timeline.case),
                timeline,
            ));
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_of_a_runner_is_its_name_without_the_suffix() {
        assert_eq!(
            build::package_of_runner(Path::new("target/debug/corpus-runner")).as_deref(),
            Some("corpus")
        );
        assert_eq!(build::package_of_runner(Path::new("runner")), None);
    }
}
