//! A lesson's stub, put back in place of the student's file (`checker reset`, `r` in the
//! interactive list): the student's version is first kept in `.asynclings/backups/` (a new file
//! each time, never one overwritten). The stub is the newest committed version of the file that
//! still has a `todo!()`: the one the course (or the template made from it) shipped, whatever
//! the student committed since.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::exit::{Error, ResultExt as _};

/// Where backups go, under the workspace root.
pub const BACKUPS: &str = ".asynclings/backups";

/// What a reset says.
pub mod message {
    use std::path::Path;

    /// The file is the stub already.
    pub fn already(file: &str) -> String {
        format!("{file} is already the stub: nothing to reset.")
    }

    /// The stub is back; the student's version is in `backup`.
    pub fn done(file: &str, backup: &Path) -> String {
        format!(
            "{file} is the stub again.\nYour version is kept in {}: copy from it what you want back.",
            backup.display()
        )
    }

    /// No stub was found.
    pub fn no_stub(file: &str, why: &str) -> String {
        format!(
            "cannot find the stub of {file}: {why}. Your file is unchanged. (The stub is the newest committed version of the file with a `todo!()`.)"
        )
    }
}

/// How a reset went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The file was the stub already: nothing written.
    Already,
    /// The stub is back; the student's version is kept here (relative to the root), when
    /// there was one.
    Reset(Option<PathBuf>),
}

/// Puts back the stub of `file` (relative to `root`, `exercises/src/06_wait_n.rs`).
///
/// # Errors
/// No stub was found ([`Error::Usage`]: the file is left alone), or a file cannot be written
/// ([`Error::Io`]).
pub fn reset(root: &Path, file: &str) -> Result<Outcome, Error> {
    let path = root.join(file);
    let stub = committed_stub(root, file)
        .map_err(|why| Error::Usage(anyhow::anyhow!(message::no_stub(file, &why))))?;
    let current = std::fs::read(&path).ok();
    if current.as_deref() == Some(stub.as_bytes()) {
        return Ok(Outcome::Already);
    }
    // The student's file first, safely kept; only then the stub over it.
    let name = Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file);
    let backup = match &current {
        Some(text) => Some(shown_path(
            root,
            &keep(root, name, text).or_fail(Error::Io)?,
        )),
        None => None,
    };
    std::fs::write(&path, &stub)
        .with_context(|| format!("cannot write {file}"))
        .or_fail(Error::Io)?;
    Ok(Outcome::Reset(backup))
}

/// What to tell the student about `outcome` for `file`.
pub fn said(outcome: &Outcome, file: &str) -> String {
    match outcome {
        Outcome::Already => message::already(file),
        Outcome::Reset(Some(backup)) => message::done(file, backup),
        Outcome::Reset(None) => format!("{file} is the stub again."),
    }
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
