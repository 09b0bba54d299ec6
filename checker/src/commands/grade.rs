//! `checker [LESSON]`: grade and report, with a live progress indicator on a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::exit;
use crate::options::GradeArgs;
use crate::report::human::{self, Options};
use crate::report::{self, Format};
use crate::results::CaseResult;
use crate::session::{Graded, Session};
use crate::spec::{Case, Lesson};
use crate::timeline::record::{Recorder, write_html};

/// Grades and prints the report; returns the exit status.
pub fn run(args: &GradeArgs) -> anyhow::Result<u8> {
    let session = Session::new(args)?;
    if let Some(output) = &args.output {
        refuse_student_files(output, &protected_dirs(&session))?;
    }
    let mut graded = grade_with_progress(&session)?;
    // A failing timing case gets a timeline in the human report (one more run of it, on the
    // same runner, recording); `--timeline` records every case (for the JSON report) and
    // `--timeline-html` draws them in a page. Verdicts stay as graded.
    let all = args.timeline || args.timeline_html.is_some();
    let wanted =
        all || (args.format == Format::Human && graded.exit == exit::FAIL && !args.no_timeline);
    let sections = match graded.runner.clone() {
        Some(runner) if wanted => Recorder {
            supervisor: &session.supervisor,
            runner: &runner,
            clock: session.clock,
            seed: session.seed,
        }
        .attach(&session.lessons, &mut graded.results, all, args.show_hidden),
        _ => Vec::new(),
    };
    if let Some(path) = &args.timeline_html {
        refuse_student_files(path, &protected_dirs(&session))?;
        write_html(path, "asynclings: what ran when", &sections)?;
    }
    match (args.format, &args.output) {
        // On stdout the human report uses what the terminal can do: width, bar, links.
        (Format::Human, None) => {
            let results = report::output::shown_results(&graded.results, args.show_hidden);
            crate::report::output::write_stdout(&human::render_with(
                &results,
                &graded.context,
                &Options::stdout(session.style),
            ))?;
            remember_progress(&session, &graded);
        }
        _ => report::output::write(
            &graded.results,
            &graded.context,
            graded.elapsed,
            &session.destination(),
        )?,
    }
    Ok(graded.exit)
}

/// Remembers which lessons are done (the student's own exercises, graded in full), and names
/// the reference solution of each done since the last run (`crate::report::progress`).
fn remember_progress(session: &Session, graded: &Graded) {
    let args = &session.args;
    if args.solutions
        || args.package.is_some()
        || args.runner.is_some()
        || graded.context.interrupted
    {
        return;
    }
    let previous = report::progress::Progress::load(&session.root);
    if let Some(note) = report::progress::newly_done_note(&previous, &graded.results, &session.root)
    {
        let _ = report::output::write_stdout(&format!("\n{note}"));
    }
    previous.after(&graded.results).save(&session.root);
}

/// Folders of student work: the exercises, and the package under test.
pub fn protected_dirs(session: &Session) -> Vec<PathBuf> {
    vec![
        session.root.join("exercises"),
        session.root.join(&session.package),
    ]
}

/// Refuses to write a report into a folder of student work: a report must never overwrite
/// a lesson file, whatever path it is given.
pub fn refuse_student_files(output: &Path, protected: &[PathBuf]) -> anyhow::Result<()> {
    let target = real_path(output);
    for dir in protected {
        let dir = real_path(dir);
        if target.starts_with(&dir) {
            anyhow::bail!(
                "will not write the report to {}: it is inside {}, where your work is. Give a path outside it (for example --output report.txt)",
                output.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

/// `path` made absolute with symbolic links resolved as far as it exists.
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(real) = absolute.canonicalize() {
        return real;
    }
    // The file does not exist yet: resolve the nearest folder that does.
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        rest.push(existing.file_name().unwrap_or_default().to_owned());
        existing = parent;
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |path, part| path.join(part));
        }
    }
    absolute
}

/// Grades `session`, showing progress on stderr when it is a terminal: a bar over the cases,
/// the elapsed time, and the case now running (one at a time on the real clock).
pub fn grade_with_progress(session: &Session) -> anyhow::Result<Graded> {
    let show_hidden = session.args.show_hidden;
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
    let bar = progress_bar(cases.len() as u64, session.style.color);
    bar.set_message(match &session.args.runner {
        Some(_) => "starting the runner".to_string(),
        None => format!("building {} with cargo", session.package),
    });
    bar.enable_steady_tick(Duration::from_millis(120));
    // One case at a time: the next to run is known, so say which (the real clock's long cases).
    let one_at_a_time = session.args.resolved_jobs() == 1;
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

/// A bar on stderr, hidden when stderr is not a terminal.
fn progress_bar(total: u64, color: bool) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
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

    #[test]
    fn reports_are_refused_inside_student_folders_however_the_path_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let exercises = dir.path().join("exercises");
        std::fs::create_dir_all(exercises.join("src")).unwrap();
        std::fs::write(exercises.join("src/01.rs"), "work").unwrap();
        let protected = [exercises.clone()];
        for path in [
            exercises.join("src/01.rs"),
            exercises.join("src/new-report.txt"),
            dir.path().join("exercises/../exercises/src/01.rs"),
        ] {
            let error = refuse_student_files(&path, &protected).unwrap_err();
            assert!(error.to_string().contains("where your work is"), "{error}");
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&exercises, &link).unwrap();
            assert!(refuse_student_files(&link.join("src/01.rs"), &protected).is_err());
        }
        assert!(refuse_student_files(&dir.path().join("report.txt"), &protected).is_ok());
        assert!(refuse_student_files(&dir.path().join("exercises-report.txt"), &protected).is_ok());
    }
}
