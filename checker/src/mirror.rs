//! Folders kept as copies of others, file by file: a file that already has the right bytes is
//! left alone, times included, so that cargo rebuilds nothing for it (a grading workspace of
//! `grade-many`, the template `checker verify` type-checks); and whole folders copied with
//! their files' times (a warm target directory, to seed another).

use std::path::Path;

use anyhow::Context as _;

/// Names never copied into a copy, nor removed from it: `target` (its build) and `.git`.
const SKIPPED: &[&str] = &["target", ".git"];

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
pub fn sync_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    if std::fs::read(to).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(to, bytes).with_context(|| format!("cannot write {}", to.display()))
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
