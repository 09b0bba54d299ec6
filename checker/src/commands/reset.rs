//! `checker reset LESSON`: puts a lesson's stub back in place of the student's file, after
//! keeping the student's version in `.asynclings/backups/` (a new file each time, never one
//! overwritten). The stub is the newest committed version of the file that still has a
//! `todo!()`: the one the course (or the template made from it) shipped, whatever the student
//! committed since.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use clap::Args;

use crate::spec;
use crate::workspace;

/// Options of `checker reset`.
#[derive(Debug, Clone, Args)]
pub struct ResetArgs {
    /// The lesson (its id, e.g. `wait_n`, or its number).
    pub lesson: String,
}

/// Where backups go, under the workspace root.
pub const BACKUPS: &str = ".asynclings/backups";

/// What `reset` says.
mod message {
    use std::path::Path;

    pub fn already(file: &str) -> String {
        format!("{file} is already the stub: nothing to reset.")
    }

    pub fn done(file: &str, backup: &Path) -> String {
        format!(
            "{file} is the stub again.\nYour version is kept in {}: copy from it what you want back.",
            backup.display()
        )
    }

    pub fn no_stub(file: &str, why: &str) -> String {
        format!(
            "cannot find the stub of {file}: {why}. Your file is unchanged. (The stub is the newest committed version of the file with a `todo!()`.)"
        )
    }
}

/// Resets the lesson; returns the exit status.
pub fn run(args: &ResetArgs) -> anyhow::Result<u8> {
    let root = workspace::root()?;
    let lessons = spec::load_specs(&spec::spec_dirs(&root, &[]))?;
    let lesson = spec::select(&lessons, &args.lesson)?;
    let shown = format!("exercises/src/{}", lesson.file);
    let path = root.join(&shown);
    let stub = committed_stub(&root, &shown)
        .map_err(|why| anyhow::anyhow!(message::no_stub(&shown, &why)))?;
    let current = std::fs::read(&path).ok();
    if current.as_deref() == Some(stub.as_bytes()) {
        println!("{}", message::already(&shown));
        return Ok(0);
    }
    // The student's file first, safely kept; only then the stub over it.
    let backup = match &current {
        Some(text) => Some(keep(&root, &lesson.file, text)?),
        None => None,
    };
    std::fs::write(&path, &stub).with_context(|| format!("cannot write {shown}"))?;
    match backup {
        Some(backup) => println!("{}", message::done(&shown, &shown_path(&root, &backup))),
        None => println!("{shown} is the stub again."),
    }
    Ok(0)
}

/// The newest committed version of `file` (relative to `root`) that has a `todo!()`.
fn committed_stub(root: &Path, file: &str) -> Result<String, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let output = Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .map_err(|e| format!("git cannot run ({e})"))?;
        if !output.status.success() {
            return Err(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        String::from_utf8(output.stdout).map_err(|_| "git gave text that is not UTF-8".into())
    };
    let commits = git(&["log", "--format=%H", "--", file])?;
    for commit in commits.lines() {
        let text = git(&["show", &format!("{commit}:./{file}")])?;
        if text.contains("todo!()") {
            return Ok(text);
        }
    }
    Err(if commits.trim().is_empty() {
        "it was never committed".into()
    } else {
        "no committed version has a `todo!()`".into()
    })
}

/// Writes `text` to a new file in the backups folder, named after the lesson's file and
/// numbered so that no backup is ever overwritten; returns its path.
fn keep(root: &Path, file: &str, text: &[u8]) -> anyhow::Result<PathBuf> {
    let dir = root.join(BACKUPS);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot make {}", dir.display()))?;
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    for n in 1.. {
        let path = dir.join(format!("{stem}.{n}.rs"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut out) => {
                use std::io::Write;
                out.write_all(text)
                    .and_then(|()| out.sync_all())
                    .with_context(|| format!("cannot write the backup {}", path.display()))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot write the backup {}", path.display()));
            }
        }
    }
    unreachable!("some backup number is free")
}

/// `path` relative to `root` when it is under it.
fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backups_are_numbered_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let first = keep(dir.path(), "06_wait_n.rs", b"one").unwrap();
        let second = keep(dir.path(), "06_wait_n.rs", b"two").unwrap();
        assert_ne!(first, second);
        assert_eq!(std::fs::read(&first).unwrap(), b"one");
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
        assert!(
            second.ends_with(".asynclings/backups/06_wait_n.2.rs"),
            "{second:?}"
        );
    }
}
