//! One broken lesson never hides the others.
//!
//! When the code under test does not build, [`isolate`] finds the lessons the errors come from,
//! builds the package again with a stub in place of each (the registry's signatures, each
//! function panicking with [`NOT_BUILT`](asynclings_runner::protocol::NOT_BUILT)), and hands
//! back the runner of that build: every other lesson is graded as usual. Only the package under
//! test is rebuilt (the stub list reaches its build script alone), so dependencies stay built.
//!
//! Which lesson an error belongs to:
//! - the lesson whose file holds the error's primary span;
//! - but for a value that is not `Send` held across an `.await`, the lesson where rustc's note
//!   says the value is held (a `ThreadRng` kept in `wait_random` fails in `wait_n`, which
//!   spawns it: the mistake is in `wait_random`);
//! - an error outside every lesson file (the bindings the checker generates, which call each
//!   lesson's functions) belongs to the lesson whose file does not define what the registry
//!   says ([`signature::check`]): a renamed function, a changed signature, `#[tokio::main]`.
//!
//! After each build, errors that remain are placed the same way and their lessons stubbed too,
//! until the build succeeds or an error belongs to no lesson.

pub mod explain;
pub mod results;
pub mod signature;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use asynclings_runner::registry::Registry;

use crate::cancel::Cancel;
use crate::cargo_build::{self, Build, CompileError};

/// Why a lesson was replaced by a stub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// Its file has compiler errors (or causes them elsewhere).
    DoesNotCompile,
    /// Its file does not define what the checker calls, as the registry says it.
    Signature(String),
}

/// A lesson replaced by a stub, with what is wrong with it.
#[derive(Debug, Clone)]
pub struct BrokenLesson {
    /// Why.
    pub why: Broken,
    /// The compiler errors that belong to it, each with its explanation when there is one.
    pub errors: Vec<CompileError>,
}

/// What isolating the broken lessons gave.
#[derive(Debug, Clone)]
pub struct Isolation {
    /// The runner built with the broken lessons stubbed, when that build succeeded.
    pub runner: Option<PathBuf>,
    /// The broken lessons, by id.
    pub broken: BTreeMap<String, BrokenLesson>,
    /// Errors that belong to no lesson (the last build's), explained where possible.
    pub stray: Vec<CompileError>,
    /// Cargo's own output when the last build failed without a compiler error.
    pub cargo_output: String,
    /// Builds made beyond the first.
    pub extra_builds: usize,
    /// Seconds the extra builds took.
    pub extra_seconds: f64,
}

/// What to build: the package under test, and the folder of its lesson files.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The build, as [`cargo_build::build`] takes it.
    pub build: cargo_build::Request<'a>,
    /// The folder of its lesson files.
    pub src_dir: &'a Path,
}

/// Reads the lesson registry of the workspace at `root`.
///
/// # Errors
/// It is missing, is not TOML of the registry's shape, or does not [`Registry::check`].
pub fn load_registry(root: &Path) -> anyhow::Result<Registry> {
    let path = root.join(asynclings_runner::registry::FILE_NAME);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("cannot read the lesson registry {}: {e}", path.display()))?;
    let registry: Registry = toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("the lesson registry {}: {e}", path.display()))?;
    registry
        .check()
        .map_err(|e| anyhow::anyhow!("the lesson registry {}: {e}", path.display()))?;
    Ok(registry)
}

/// Builds the package under test again and again, each time with a stub for every lesson the
/// errors so far belong to, until it builds or an error belongs to no lesson. `errors` are the
/// first build's.
///
/// # Errors
/// cargo cannot be run.
pub fn isolate(
    target: &Target<'_>,
    registry: &Registry,
    errors: Vec<CompileError>,
    cancel: &Cancel,
) -> anyhow::Result<Isolation> {
    let started = Instant::now();
    let mut isolation = Isolation {
        runner: None,
        broken: BTreeMap::new(),
        stray: Vec::new(),
        cargo_output: String::new(),
        extra_builds: 0,
        extra_seconds: 0.0,
    };
    let mut errors = errors;
    // Each round stubs at least one more lesson, so there are at most as many as lessons.
    for _ in 0..=registry.lessons.len() {
        let mut progress = false;
        let mut unplaced = Vec::new();
        for mut error in errors {
            error.explanation = explain::explain(&error);
            match lesson_of(&error, registry, target) {
                Some((id, place)) => {
                    // Shown under the lesson that causes it, at its place there.
                    if let Some((file, line)) = place {
                        error.file = Some(file);
                        error.line = Some(line);
                    }
                    let entry = isolation.broken.entry(id).or_insert_with(|| {
                        progress = true;
                        BrokenLesson {
                            why: Broken::DoesNotCompile,
                            errors: Vec::new(),
                        }
                    });
                    entry.errors.push(error);
                }
                None => unplaced.push(error),
            }
        }
        if !unplaced.is_empty() {
            for lesson in &registry.lessons {
                if isolation.broken.contains_key(&lesson.id) {
                    continue;
                }
                let file = target.src_dir.join(&lesson.file);
                if let Some(problem) = signature::check(&file, lesson) {
                    progress = true;
                    isolation.broken.insert(
                        lesson.id.clone(),
                        BrokenLesson {
                            errors: vec![problem.as_error(&file, target.build.root)],
                            why: Broken::Signature(problem.message),
                        },
                    );
                }
            }
        }
        if !progress || cancel.is_cancelled() {
            isolation.stray = unplaced;
            break;
        }
        let stubbed: Vec<String> = isolation.broken.keys().cloned().collect();
        isolation.extra_builds += 1;
        let build = cargo_build::build_with_stubs(&target.build, &stubbed)?;
        match build {
            Build::Built(path) => {
                isolation.runner = Some(path);
                break;
            }
            Build::Failed {
                errors: next,
                cargo_output,
            } => {
                if next.is_empty() {
                    isolation.cargo_output = cargo_output;
                    break;
                }
                errors = next;
            }
        }
    }
    isolation.extra_seconds = started.elapsed().as_secs_f64();
    Ok(isolation)
}

/// The lesson `error` belongs to, if any (see the module's documentation).
/// With it, the place in that lesson's file to show when it is not the error's primary span.
fn lesson_of(
    error: &CompileError,
    registry: &Registry,
    target: &Target<'_>,
) -> Option<(String, Option<(String, usize)>)> {
    let lesson_at = |file: &str| -> Option<String> {
        let path = target.build.root.join(file);
        let name = path.file_name()?.to_str()?;
        let lesson = registry.lessons.iter().find(|l| l.file == name)?;
        (path.parent() == Some(target.src_dir) || same_dir(path.parent()?, target.src_dir))
            .then(|| lesson.id.clone())
    };
    let primary = error.spans.iter().find(|s| s.primary);
    let primary_lesson = primary.and_then(|s| lesson_at(&s.file));
    if explain::is_not_send(error) {
        // Where the value that is not `Send` is held: a note's span in a lesson's file.
        let holder = error.spans.iter().filter(|s| !s.primary).find_map(|s| {
            lesson_at(&s.file)
                .filter(|id| Some(id) != primary_lesson.as_ref())
                .map(|id| (id, s))
        });
        if let Some((id, span)) = holder {
            return Some((id, Some((span.file.clone(), span.line))));
        }
    }
    if let Some(id) = primary_lesson {
        return Some((id, None));
    }
    // An error in the package's lib.rs about a lesson's module (its file is missing).
    let in_lib = primary.is_some_and(|s| s.file.ends_with("lib.rs"));
    in_lib
        .then(|| {
            registry
                .lessons
                .iter()
                .find(|l| error.message.contains(&format!("`{}`", l.id)))
                .map(|l| (l.id.clone(), None))
        })
        .flatten()
}

/// Whether two folders are the same one, however spelled.
fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
