//! `checker diagnostics [--saved FILE]`: the verdicts as cargo's JSON messages, for an editor's
//! check on save (rust-analyzer's `check.overrideCommand`, docs/editor.md). Given the file
//! just saved, it grades only that lesson, and draws no timeline: it runs on every save.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::exit::Error;
use crate::options::GradeArgs;
use crate::report::Format;
use crate::report::style::ColorChoice;
use crate::session::Session;
use crate::spec;
use crate::workspace;

/// Options of `checker diagnostics`.
#[derive(Debug, Clone, Args)]
pub struct DiagnosticsArgs {
    /// The file the editor just saved (rust-analyzer's `$saved_file`): when it is a lesson's
    /// file, only that lesson is graded; any other file grades them all.
    #[arg(long, value_name = "FILE")]
    pub saved: Option<PathBuf>,

    /// Grading options (`--format` is always `cargo-json` here).
    #[command(flatten)]
    pub grade: GradeArgs,
}

/// Grades (the saved file's lesson, or all) and prints cargo's JSON messages; returns the
/// exit status.
pub fn run(args: &DiagnosticsArgs) -> Result<u8, crate::exit::Error> {
    if args.grade.file.is_some() {
        return Err(Error::Usage(anyhow::anyhow!(
            "`checker diagnostics` grades the files the editor has: give the saved file with `--saved`, not `--file`"
        )));
    }
    if args.grade.output.is_some() {
        return Err(Error::Usage(anyhow::anyhow!(
            "`checker diagnostics` writes to stdout, where the editor reads; for a file use `checker --format cargo-json --output FILE`"
        )));
    }
    let mut grade = GradeArgs {
        format: Format::CargoJson,
        color: ColorChoice::Never,
        no_timeline: true,
        timeline: false,
        timeline_html: None,
        ..args.grade.clone()
    };
    if let (Some(saved), None) = (&args.saved, &grade.lesson) {
        grade.lesson = lesson_of_file(&grade, saved)?;
    }
    let session = Session::new(&grade)?;
    let graded = session.grade(&|_| {})?;
    crate::report::output::write(
        &graded.results,
        &graded.context,
        graded.elapsed,
        &session.destination(),
    )?;
    Ok(graded.exit)
}

/// The id of the lesson whose file (in the package under test) is `saved`; `None` when it is
/// no lesson's file.
fn lesson_of_file(grade: &GradeArgs, saved: &Path) -> Result<Option<String>, Error> {
    let root = workspace::root()?;
    let lessons = spec::load_specs(&spec::spec_dirs(&root, &grade.specs))?;
    let src = root.join(grade.package()).join("src");
    let saved = real(&std::path::absolute(saved).unwrap_or_else(|_| saved.to_path_buf()));
    Ok(lessons
        .iter()
        .find(|lesson| real(&src.join(&lesson.file)) == saved)
        .map(|lesson| lesson.id.clone()))
}

/// `path` with symbolic links resolved, when it exists.
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
