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

/// The packages a grading workspace holds.
pub const MEMBERS: &[&str] = &["runner", "exercises"];

/// Folders never copied into a grading workspace.
const SKIPPED: &[&str] = &["target", ".git"];

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

/// Makes the folder `to` a copy of `from`, file by file with `sync_file` (a file that already
/// has the right bytes is left alone, so that cargo rebuilds nothing for it), without following
/// links and without the `SKIPPED` names (target, .git: folders, or files such as a git
/// worktree's `.git`). What `to` has that `from` does not goes: a course file deleted or moved
/// since the copy was made (a module file left beside the folder it moved to does not compile:
/// E0761), or what a submission left.
///
/// # Errors
/// A file cannot be read, written or removed.
pub fn sync_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot make {}", to.display()))?;
    remove_entries_not_in(from, to)?;
    let entries =
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        // Whatever their kind: in a git worktree or submodule `.git` is a file that names the
        // repository, and a copy of it would make the copy that repository's work tree.
        if SKIPPED.iter().any(|s| name == *s) {
            continue;
        }
        let kind = entry.file_type()?;
        let target = to.join(&name);
        if kind.is_dir() {
            if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_dir()) {
                remove(&target)?;
            }
            sync_dir(&entry.path(), &target)?;
        } else if kind.is_file() {
            if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_file()) {
                remove(&target)?;
            }
            sync_file(&entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Removes what is directly in `copy` (files, links, folders with all they hold) under a name
/// `original` does not have, but the `SKIPPED` folders.
fn remove_entries_not_in(original: &Path, copy: &Path) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(copy).with_context(|| format!("cannot read {}", copy.display()))?;
    for entry in entries {
        let name = entry?.file_name();
        if SKIPPED.iter().any(|s| name == *s) {
            continue;
        }
        if std::fs::symlink_metadata(original.join(&name)).is_err() {
            remove(&copy.join(&name))?;
        }
    }
    Ok(())
}

/// Removes `path`: a folder with all it holds, or a file or link (not what it points to).
fn remove(path: &Path) -> anyhow::Result<()> {
    let removed = if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    removed.with_context(|| format!("cannot remove {}", path.display()))
}

/// Copies `from` to `to` unless `to` already has the same bytes.
fn sync_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    if std::fs::read(to).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(to, bytes).with_context(|| format!("cannot write {}", to.display()))
}

fn write_if_changed(path: &Path, text: &str) -> anyhow::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Copies a whole folder (a warm target directory, to seed another worker) with its files'
/// modification times, without following links.
///
/// # Errors
/// A file cannot be copied.
pub fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot make {}", to.display()))?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
            // Cargo compares the times of its outputs: a copy made now would look newer than
            // what it was built from, and everything would be built again.
            let modified = entry.metadata()?.modified()?;
            std::fs::File::options()
                .write(true)
                .open(&target)
                .and_then(|file| file.set_modified(modified))
                .with_context(|| format!("cannot set the time of {}", target.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_the_course_no_longer_has_leaves_the_copy() {
        let (course, copy) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(course.path().join("25_dine.toml"), "now").unwrap();
        std::fs::write(copy.path().join("20_dine.toml"), "before").unwrap();
        std::fs::write(copy.path().join("25_dine.toml"), "now").unwrap();
        std::fs::create_dir(copy.path().join("left")).unwrap();
        std::fs::create_dir(copy.path().join("target")).unwrap();
        sync_dir(course.path(), copy.path()).unwrap();
        assert!(!copy.path().join("20_dine.toml").exists());
        assert!(copy.path().join("25_dine.toml").exists());
        assert!(
            !copy.path().join("left").exists(),
            "a folder the course lacks goes"
        );
        assert!(
            copy.path().join("target").is_dir(),
            "a skipped folder stays"
        );
    }

    #[test]
    fn a_git_file_of_a_worktree_is_not_copied() {
        // A course checked out with `git worktree add` (or a submodule) has a `.git` file
        // naming its repository: in the copy, git would work on that repository.
        let (course, copy) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(
            course.path().join(".git"),
            "gitdir: /elsewhere/.git/worktrees/w",
        )
        .unwrap();
        std::fs::write(course.path().join("target"), "a file named target").unwrap();
        std::fs::write(course.path().join("Cargo.toml"), "[workspace]").unwrap();
        sync_dir(course.path(), copy.path()).unwrap();
        assert!(copy.path().join("Cargo.toml").is_file());
        assert!(!copy.path().join(".git").exists());
        assert!(!copy.path().join("target").exists());
    }

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

    #[test]
    fn a_module_moved_into_a_folder_leaves_no_file_behind() {
        // runner/src/registry.rs became runner/src/registry/mod.rs: both in the copy is E0761.
        let (course, copy) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::create_dir_all(copy.path().join("src")).unwrap();
        std::fs::write(copy.path().join("src/registry.rs"), "old").unwrap();
        std::fs::create_dir_all(course.path().join("src/registry")).unwrap();
        std::fs::write(course.path().join("src/registry/mod.rs"), "new").unwrap();
        // And the other way: a folder in the copy where the course now has a file.
        std::fs::create_dir_all(copy.path().join("src/net")).unwrap();
        std::fs::write(copy.path().join("src/net/mod.rs"), "old").unwrap();
        std::fs::write(course.path().join("src/net"), "a file now").unwrap();
        sync_dir(course.path(), copy.path()).unwrap();
        assert!(!copy.path().join("src/registry.rs").exists());
        assert_eq!(
            std::fs::read_to_string(copy.path().join("src/registry/mod.rs")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(copy.path().join("src/net")).unwrap(),
            "a file now"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_copy_is_removed_not_followed() {
        let (course, copy, outside) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        std::fs::write(outside.path().join("kept"), "outside").unwrap();
        std::fs::write(course.path().join("lib.rs"), "course").unwrap();
        std::os::unix::fs::symlink(outside.path(), copy.path().join("gone")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("kept"), copy.path().join("lib.rs"))
            .unwrap();
        sync_dir(course.path(), copy.path()).unwrap();
        assert!(std::fs::symlink_metadata(copy.path().join("gone")).is_err());
        assert!(
            !std::fs::symlink_metadata(copy.path().join("lib.rs"))
                .unwrap()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(outside.path().join("kept")).unwrap(),
            "outside",
            "nothing outside the copy is written or removed"
        );
    }
}
