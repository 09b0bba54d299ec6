//! A worker's grading workspace: a copy of the instructor's course reduced to what grading
//! builds (the `runner` and `exercises` packages, `specs/`, `course.toml`, the lock file),
//! with its own target directory, which stays warm from one submission to the next.
//!
//! Before each submission [`Worker::reset`] puts the course's own files back into
//! `exercises/src/` and the student's lesson files over them: only the lesson crate then
//! recompiles, the dependencies stay built.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context as _;

use crate::mirror::{sync_dir, sync_file};

/// The packages a grading workspace holds.
pub const MEMBERS: &[&str] = &["runner", "exercises"];

/// A worker's workspace.
#[derive(Debug, Clone)]
pub struct Worker {
    /// Its root (`OUT/.work/worker-K`).
    pub root: PathBuf,
    /// The course it copies.
    pub course: PathBuf,
}

impl Worker {
    /// Its target directory.
    pub fn target(&self) -> PathBuf {
        self.root.join("target")
    }

    /// A file of this worker beside its workspace (`WORK/worker-K.NAME`), out of reach of
    /// the builds and cases confined to the workspace.
    pub fn beside(&self, name: &str) -> PathBuf {
        beside(&self.root, name)
    }

    /// Its lesson files' folder.
    pub fn src(&self) -> PathBuf {
        self.root.join("exercises").join("src")
    }

    /// Makes (or brings up to date) the workspace at `root` from the course at `course`.
    /// Files whose content is already right are left alone, so that cargo rebuilds nothing
    /// for them; the lock file is then settled for the reduced workspace (`cargo metadata
    /// --offline --filter-platform HOST`, which builds and runs nothing): the confined build
    /// may not write it. The host filter ([`super::host`]): without it cargo wants every
    /// platform's crates in its cache, and an instructor who only built the checker has the
    /// host's alone.
    ///
    /// # Errors
    /// A file cannot be copied, or cargo cannot read the workspace.
    pub fn prepare(course: &Path, root: &Path) -> anyhow::Result<Worker> {
        std::fs::create_dir_all(root)
            .with_context(|| format!("cannot make the grading workspace {}", root.display()))?;
        for member in MEMBERS {
            sync_dir(&course.join(member), &root.join(member))?;
        }
        // Every spec file of the folder is read: one the course no longer has (renamed, or
        // renumbered as lessons were added) would specify its lesson a second time; sync_dir
        // removes it.
        sync_dir(&course.join("specs"), &root.join("specs"))?;
        sync_file(&course.join("course.toml"), &root.join("course.toml"))?;
        take_course_lock(&course.join("Cargo.lock"), root)?;
        write_if_changed(&root.join("Cargo.toml"), &manifest(course)?)?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["metadata", "--offline", "--format-version", "1"])
            .args(["--filter-platform", &super::host::target()?])
            .current_dir(root)
            .stdin(Stdio::null())
            .output()
            .context("cannot run cargo")?;
        anyhow::ensure!(
            output.status.success(),
            "cargo cannot read the grading workspace {}: {}",
            root.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
        Ok(Worker {
            root: root.to_path_buf(),
            course: course.to_path_buf(),
        })
    }

    /// Puts the course's lesson files back into `exercises/src/`, then copies `files`
    /// (`(lesson file name, path)`) over them.
    ///
    /// # Errors
    /// A file cannot be copied.
    pub fn reset(&self, files: &[(String, PathBuf)]) -> anyhow::Result<()> {
        let src = self.src();
        // Anything a previous submission left that the course does not have goes (sync_dir).
        sync_dir(&self.course.join("exercises/src"), &src)?;
        for (name, path) in files {
            let target = src.join(name);
            std::fs::copy(path, &target).with_context(|| {
                format!("cannot copy {} to {}", path.display(), target.display())
            })?;
        }
        Ok(())
    }
}

/// The file `ROOT.NAME` beside the workspace at `root`, out of reach of its builds and cases.
fn beside(root: &Path, name: &str) -> PathBuf {
    let mut file = root.as_os_str().to_owned();
    file.push(".");
    file.push(name);
    PathBuf::from(file)
}

/// Gives the workspace at `root` the course's lock file `lock` when it has none, or when the
/// course's has changed since the workspace last took it (a dependency updated): cargo then
/// settles it for the reduced workspace, and a lock cargo settled is otherwise left alone.
/// What was taken is kept beside the workspace (`ROOT.course-lock`), out of the builds'
/// reach. No lock in the course: nothing.
///
/// # Errors
/// A file cannot be read or written.
fn take_course_lock(lock: &Path, root: &Path) -> anyhow::Result<()> {
    let Ok(course) = std::fs::read(lock) else {
        return Ok(());
    };
    let taken = beside(root, "course-lock");
    let own = root.join("Cargo.lock");
    if own.is_file() && std::fs::read(&taken).is_ok_and(|last| last == course) {
        return Ok(());
    }
    std::fs::write(&own, &course).with_context(|| format!("cannot write {}", own.display()))?;
    std::fs::write(&taken, &course).with_context(|| format!("cannot write {}", taken.display()))
}

/// The course's workspace manifest with its members cut to [`MEMBERS`].
fn manifest(course: &Path) -> anyhow::Result<String> {
    let path = course.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut manifest: toml::Table = text
        .parse()
        .with_context(|| format!("cannot parse {}", path.display()))?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(|w| w.as_table_mut())
        .ok_or_else(|| anyhow::anyhow!("{} has no [workspace]", path.display()))?;
    let members = MEMBERS.iter().map(|m| toml::Value::from(*m)).collect();
    workspace.insert("members".into(), toml::Value::Array(members));
    workspace.remove("default-members");
    Ok(format!(
        "# A grading workspace of `checker grade-many`: the course, reduced to what grading builds.\n{}",
        toml::to_string(&manifest)?
    ))
}

fn write_if_changed(path: &Path, text: &str) -> anyhow::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_file_the_course_changed_is_taken_again_and_a_settled_one_is_kept() {
        let (course, work) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (lock, root) = (
            course.path().join("Cargo.lock"),
            work.path().join("worker-1"),
        );
        std::fs::create_dir(&root).unwrap();
        std::fs::write(&lock, "tokio 1.0").unwrap();
        take_course_lock(&lock, &root).unwrap();
        let own = root.join("Cargo.lock");
        assert_eq!(std::fs::read_to_string(&own).unwrap(), "tokio 1.0");
        // Cargo settles it for the reduced workspace: kept while the course's is the same.
        std::fs::write(&own, "tokio 1.0, settled").unwrap();
        take_course_lock(&lock, &root).unwrap();
        assert_eq!(std::fs::read_to_string(&own).unwrap(), "tokio 1.0, settled");
        // The course updates a dependency: taken again.
        std::fs::write(&lock, "tokio 1.1").unwrap();
        take_course_lock(&lock, &root).unwrap();
        assert_eq!(std::fs::read_to_string(&own).unwrap(), "tokio 1.1");
    }
}
