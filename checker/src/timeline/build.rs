//! Builds the timeline runner: the implementation under test with the runner's `timeline`
//! feature (tokio's tracing), in `target/timeline`, confined and checked as grading's build is
//! (the sandbox, the hidden folders, the lesson files' refusals), with the same seeded flags
//! (`crate::seed::rustflags`, `tokio_unstable` among them), so that lesson code cannot tell
//! the two builds apart by a cfg.
//!
//! A target directory of its own keeps its runner binary from replacing the one a grading run
//! uses; its dependencies are built there once (`docs/timeline.md`).

use std::path::{Path, PathBuf};

use crate::cargo_build::{self, Build, Request};

/// The target directory of timeline builds: `timeline/` inside the workspace's own.
pub fn target_dir(root: &Path) -> PathBuf {
    cargo_build::timeline_target_dir(root)
}

/// The package whose runner is `runner` (`corpus` for `.../corpus-runner`).
pub fn package_of_runner(runner: &Path) -> Option<String> {
    let stem = runner.file_stem()?.to_str()?;
    stem.strip_suffix("-runner").map(str::to_string)
}

/// Builds the timeline runner that `request` names (its `timeline` set here), through the
/// same confined, checked build as grading's ([`cargo_build::build`]); returns its path, or
/// why it failed (the compiler's first errors).
///
/// # Errors
/// cargo cannot run, or the runner does not build.
pub fn build(request: &Request<'_>) -> anyhow::Result<PathBuf> {
    let request = Request {
        timeline: true,
        ..*request
    };
    match cargo_build::build(&request)? {
        Build::Built(path) => Ok(path),
        Build::Failed {
            errors,
            cargo_output,
        } => {
            let said: Vec<&str> = errors.iter().map(|e| e.rendered.as_str()).collect();
            let said = if said.is_empty() {
                cargo_output
                    .lines()
                    .rev()
                    .take(20)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                said.into_iter().take(3).collect::<Vec<_>>().join("\n")
            };
            anyhow::bail!(
                "the timeline runner of {} does not build (grade it first to see why):\n{said}",
                request.package
            )
        }
    }
}
