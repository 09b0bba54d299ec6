//! The build stage: the runner of the package under test, built by cargo as the session
//! confines it. When lessons do not compile, the package is built again with each of them
//! stubbed ([`crate::isolate`]) so that the others are still graded; when no runner can be
//! built at all, the stage hands down the results that say why.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cancel::Cancel;
use crate::cargo_build::{self, Build, CompileError};
use crate::isolate::{self, BrokenLesson};
use crate::results::Context;
use crate::results::LessonResult;
use crate::spec::Lesson;

/// What the stage builds, and for which lessons.
pub struct Stage<'a> {
    /// The first build (package, runner binary, profile, sandbox); isolated rebuilds reuse it.
    pub request: cargo_build::Request<'a>,
    /// The folder of the package's lesson files.
    pub src_dir: &'a Path,
    /// The lessons graded, for the results of a build that fails.
    pub lessons: &'a [Lesson],
    /// Set by an interrupt: cargo was ended, and nothing it said counts.
    pub cancel: &'a Cancel,
}

/// What the stage hands down.
#[derive(Debug)]
pub enum Built {
    /// The runner to grade with, and the lessons replaced by stubs in it (by lesson id; empty
    /// when everything compiled).
    Runner {
        /// The runner binary.
        path: PathBuf,
        /// The lessons that do not compile, each with its compiler errors.
        broken: BTreeMap<String, BrokenLesson>,
    },
    /// No runner could be built: every case of every lesson is an error saying why.
    NotBuilt(Vec<LessonResult>),
    /// An interrupt ended the build.
    Interrupted,
}

/// Builds the runner, isolating the lessons that do not compile; notes what it did in
/// `context` (isolated builds, compile errors that belong to no lesson).
///
/// # Errors
/// cargo (or the workspace's lesson registry) cannot be read or run at all.
pub fn build(stage: &Stage<'_>, context: &mut Context) -> anyhow::Result<Built> {
    let first = cargo_build::build(&stage.request);
    if stage.cancel.is_cancelled() {
        // cargo was ended by the interrupt: whatever it said is about that.
        return Ok(Built::Interrupted);
    }
    match first? {
        Build::Built(path) => Ok(Built::Runner {
            path,
            broken: BTreeMap::new(),
        }),
        Build::Failed {
            errors,
            cargo_output,
        } => isolated(stage, errors, cargo_output, context),
    }
}

/// After a failed build: the runner built with a stub for every lesson that does not
/// compile; or, when no such build can be made (an error that belongs to no lesson), the
/// results of a run where nothing could be graded.
fn isolated(
    stage: &Stage<'_>,
    errors: Vec<CompileError>,
    cargo_output: String,
    context: &mut Context,
) -> anyhow::Result<Built> {
    let root = stage.request.root;
    let package = stage.request.package;
    let isolation = match isolate::load_registry(root) {
        Ok(registry) if !errors.is_empty() => {
            let target = isolate::Target {
                build: stage.request,
                src_dir: stage.src_dir,
            };
            Some(isolate::isolate(
                &target,
                &registry,
                errors.clone(),
                stage.cancel,
            )?)
        }
        // No registry (an older workspace), or cargo failed before compiling anything.
        _ => None,
    };
    let (broken, stray) = match isolation {
        Some(isolation) => {
            if let Some(path) = isolation.runner {
                context.isolated = true;
                return Ok(Built::Runner {
                    path,
                    broken: isolation.broken,
                });
            }
            if isolation.stray.is_empty() && isolation.broken.is_empty() {
                context.stray_compile_errors.push(format!(
                    "cargo could not build {package}:\n{}",
                    isolation.cargo_output
                ));
            }
            (isolation.broken, isolation.stray)
        }
        None => {
            if errors.is_empty() {
                context
                    .stray_compile_errors
                    .push(format!("cargo could not build {package}:\n{cargo_output}"));
            }
            (BTreeMap::new(), errors)
        }
    };
    Ok(Built::NotBuilt(isolate::results::does_not_compile(
        stage.lessons,
        &broken,
        &stray,
        stage.src_dir,
        root,
        context,
    )))
}

/// What the build of `package` must not read in the workspace `root`: the spec directories
/// given, the workspace's own `specs/` whether given or not (a grading workspace of
/// `grade-many` holds a copy of the course's, hidden cases included), `.git` (which holds
/// every version of every file), and `solutions/` unless `package` is it or depends on it.
pub fn hidden_from_build(root: &Path, package: &str, spec_dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut hidden = spec_dirs.to_vec();
    hidden.push(root.join("specs"));
    hidden.push(root.join(".git"));
    hidden.dedup();
    let manifest =
        std::fs::read_to_string(root.join(package).join("Cargo.toml")).unwrap_or_default();
    if package != "solutions" && !manifest.contains("../solutions") {
        hidden.push(root.join("solutions"));
    }
    hidden
}

/// The results of a run interrupted before any case ran (during the build): every case of
/// `lessons` an error worth 0 of its points, their files shown under `src_dir` relative to
/// the workspace `root`.
pub fn not_run(lessons: &[Lesson], src_dir: &Path, root: &Path) -> Vec<LessonResult> {
    lessons
        .iter()
        .map(|lesson| LessonResult {
            number: lesson.number,
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            file: crate::grade::shown(&src_dir.join(&lesson.file), root),
            hint: lesson.hint.clone(),
            cases: lesson.cases.iter().map(crate::grade::not_run).collect(),
            compile_errors: Vec::new(),
        })
        .collect()
}
