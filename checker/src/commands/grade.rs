//! `checker [LESSON]`: grade and report, with a live progress indicator on a terminal.

use std::path::{Path, PathBuf};

use crate::exit::{self, Error};
use crate::options::{GradeArgs, TimelinePolicy};
use crate::report::human::{self, Options};
use crate::report::{self, Format};
use crate::session::{Graded, Session};
use crate::timeline::record::{Recorder, write_html};

/// Grades and prints the report; returns the exit status.
pub fn run(args: &GradeArgs) -> Result<u8, crate::exit::Error> {
    let session = Session::new(args)?;
    let options = &session.options;
    if let Some(output) = &options.output {
        refuse_student_files(output, &protected_dirs(&session)).map_err(Error::Usage)?;
    }
    let mut graded = crate::live::grade_with_progress(&session)?;
    // A failing timing case gets a timeline in the human report (one more run of it, on the
    // same runner, recording); `--timeline` records every case (for the JSON report) and
    // `--timeline-html` draws them in a page. Verdicts stay as graded.
    let all = options.timeline == TimelinePolicy::Every;
    let wanted = match options.timeline {
        TimelinePolicy::Every => true,
        TimelinePolicy::OnFailure => graded.exit == exit::FAIL,
        TimelinePolicy::Never => false,
    };
    let sections = match graded.runner.clone() {
        Some(runner) if wanted => Recorder {
            supervisor: &session.supervisor,
            runner: &runner,
            clock: session.options.clock,
            seed: session.options.seed,
        }
        .attach(
            &session.lessons,
            &mut graded.results,
            all,
            options.show_hidden,
        ),
        _ => Vec::new(),
    };
    if let Some(path) = &options.timeline_html {
        refuse_student_files(path, &protected_dirs(&session)).map_err(Error::Usage)?;
        write_html(path, "asynclings: what ran when", &sections)?;
    }
    match (options.format, &options.output) {
        // On stdout the human report uses what the terminal can do: width, bar, links.
        (Format::Human, None) => {
            let results = report::output::shown_results(&graded.results, options.show_hidden);
            crate::report::output::write_stdout(&human::render_with(
                &results,
                &graded.context,
                &Options::stdout(session.options.style, session.options.stdout),
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
    if !session.options.own_exercises || graded.context.interrupted {
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
        session.root.join(&session.options.package),
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

#[cfg(test)]
mod tests {
    use super::*;

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
