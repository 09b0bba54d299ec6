//! Finds the course's workspace (the folder with the workspace `Cargo.toml` and `specs/`),
//! and copies it (for `checker bench` and the tests).

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::exit::Error;

/// The workspace root, or a clear error ([`Error::Usage`]: the checker runs in a course).
pub fn root() -> Result<PathBuf, Error> {
    find_root().ok_or_else(|| Error::Usage(match course_without_specs() {
        Some(dir) => anyhow::anyhow!(
            "the course workspace {} has no specs/ folder (the lessons' specs): restore it, for example with `git checkout -- specs`",
            dir.display()
        ),
        None => anyhow::anyhow!(
            "cannot find the course workspace (a Cargo.toml with [workspace] next to specs/) from here or above"
        ),
    }))
}

/// Whether `dir` is the course's root.
fn is_root(dir: &Path) -> bool {
    dir.join("specs").is_dir()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|text| text.contains("[workspace]"))
}

/// Whether `dir` is a course workspace whose `specs/` folder is missing.
fn is_root_without_specs(dir: &Path) -> bool {
    !dir.join("specs").is_dir()
        && dir.join("checker").is_dir()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|text| text.contains("[workspace]"))
}

/// The course workspace the current directory is in, when its `specs/` folder is missing.
pub fn course_without_specs() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .find(|d| is_root(d) || is_root_without_specs(d))
        .filter(|d| !is_root(d))
        .map(Path::to_path_buf)
}

/// The workspace root: from the current directory upwards, else where the checker was built
/// (but not from inside a course workspace that lost its specs: grading another one instead
/// would mislead).
pub fn find_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok();
    let from_cwd = cwd.iter().flat_map(|d| d.ancestors()).find(|d| is_root(d));
    if from_cwd.is_none() && course_without_specs().is_some() {
        return None;
    }
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .filter(|d| is_root(d));
    from_cwd.or(built_in).map(Path::to_path_buf)
}

/// Copies the course workspace `from` into `to` (created), without `target/` and `.git`,
/// and without following symbolic links (a link is not copied).
///
/// # Errors
/// A file or folder cannot be read or written; the error names it.
pub fn copy_workspace(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let cannot_read = || format!("cannot read {}", from.display());
    for entry in std::fs::read_dir(from).with_context(cannot_read)? {
        let entry = entry.with_context(cannot_read)?;
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let kind = entry.file_type().with_context(cannot_read)?;
        if kind.is_dir() {
            copy_workspace(&entry.path(), &to.join(&name))?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name))
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}
