//! `checker --file PATH LESSON` (and `checker timeline --file PATH LESSON`, `checker list
//! --file PATH LESSON`): grades the file `PATH` in place of the lesson's own file,
//! without touching `exercises/`. An instructor tries a wrong version of a lesson, or a
//! student a second attempt, and keeps the file they have.
//!
//! The course is copied, reduced to what grading builds (the `runner` and `exercises`
//! packages, the specs, the registry), into `TARGET/file-grading/workspace`, with `PATH` as
//! the lesson's file; the checker grades that copy as it grades the course, with its own
//! target directory (`TARGET/file-grading/target`), which stays built from one run to the
//! next. The course's own target directory is never written: its runner stays the one built
//! from `exercises/`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;

use crate::class::workspace::Worker;
use crate::exit::{self, Error, ResultExt};
use crate::options::GradeArgs;

/// Options whose value is a path, relative to the directory the checker was run in.
const PATH_OPTIONS: &[&str] = &[
    "--specs",
    "--output",
    "-o",
    "--timeline-html",
    "--html",
    "--note",
];

/// Grades `args.file` in place of the lesson's file; returns the exit status.
pub fn run(args: &GradeArgs) -> Result<u8, crate::exit::Error> {
    let (Some(file), Some(wanted)) = (&args.file, &args.lesson) else {
        return Err(Error::Usage(anyhow::anyhow!(
            "--file needs a lesson: `checker --file PATH LESSON`"
        )));
    };
    let root = crate::workspace::root()?;
    let dirs = crate::spec::spec_dirs(&root, &args.specs);
    let lessons = crate::spec::load_specs(&dirs)?;
    let lesson = crate::spec::select(&lessons, wanted)?;
    let metadata = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))
        .or_fail(Error::Usage)?;
    if !metadata.is_file() {
        return Err(anyhow::anyhow!(
            "{} is not a file: --file takes the lesson file to grade",
            file.display()
        ))
        .or_fail(Error::Usage);
    }
    let base = crate::cargo_build::target_dir(&root).join("file-grading");
    // One copy serves every `--file` run: a second run at the same time waits for the first,
    // or it would put its file into the copy the first is grading.
    let _copy = lock_copy(&base)?;
    let worker = Worker::prepare(&root, &base.join("workspace")).or_fail(Error::Io)?;
    // With `--solutions`, the other lessons are the reference's: a lesson that calls an
    // earlier one is graded on its own mistakes, not on the earlier lesson's stub.
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    if args.solutions {
        files.extend(
            lessons
                .iter()
                .filter(|other| other.file != lesson.file)
                .map(|other| {
                    (
                        other.file.clone(),
                        root.join("solutions/src").join(&other.file),
                    )
                })
                .filter(|(_, path)| path.is_file()),
        );
    }
    files.push((lesson.file.clone(), file.clone()));
    worker.reset(&files).or_fail(Error::Io)?;
    eprintln!(
        "checker: grading {} as lesson {} ({}), in a copy of the course; exercises/ is not touched",
        file.display(),
        lesson.id,
        lesson.file
    );
    let exe = std::env::current_exe()
        .context("cannot find the checker's own executable")
        .or_fail(Error::Build)?;
    let cwd = std::env::current_dir()
        .context("cannot read the current directory")
        .or_fail(Error::Usage)?;
    let status = Command::new(exe)
        .current_dir(&worker.root)
        .env("CARGO_TARGET_DIR", base.join("target"))
        .args(child_args(std::env::args_os().skip(1), &cwd))
        .status()
        .context("cannot run the checker on the copy")
        .or_fail(Error::Build)?;
    // Killed by a signal (Ctrl-C reaches both processes): as an interrupted run.
    Ok(status
        .code()
        .and_then(|c| u8::try_from(c).ok())
        .unwrap_or(exit::INTERRUPTED))
}

/// Holds the copy under `base` for this run (an exclusive lock on `base/lock`, released when
/// the returned file is dropped or the process ends); waits while another run holds it.
fn lock_copy(base: &Path) -> Result<std::fs::File, crate::exit::Error> {
    std::fs::create_dir_all(base)
        .with_context(|| format!("cannot create {}", base.display()))
        .or_fail(Error::Io)?;
    let path = base.join("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))
        .or_fail(Error::Io)?;
    if let Err(std::fs::TryLockError::WouldBlock) = file.try_lock() {
        eprintln!(
            "checker: another `--file` run is grading its copy of the course; waiting for it"
        );
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))
            .or_fail(Error::Io)?;
    }
    Ok(file)
}

/// The command line of the checker that grades the copy: this one without `--file PATH`,
/// with relative paths made absolute from `cwd` (the copy is graded from its own folder).
fn child_args(args: impl Iterator<Item = OsString>, cwd: &Path) -> Vec<OsString> {
    let absolute = |value: &OsString| -> OsString {
        let path = PathBuf::from(value);
        if path.is_absolute() {
            value.clone()
        } else {
            cwd.join(path).into_os_string()
        }
    };
    let mut out = Vec::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        if text == "--file" {
            args.next();
            continue;
        }
        // The copy holds the reference's files already: it grades its exercises.
        if text == "--solutions" {
            continue;
        }
        if text.starts_with("--file=") {
            continue;
        }
        if PATH_OPTIONS.contains(&text.as_str()) {
            out.push(arg);
            if let Some(value) = args.next() {
                out.push(absolute(&value));
            }
            continue;
        }
        if let Some((flag, value)) = text.split_once('=')
            && PATH_OPTIONS.contains(&flag)
        {
            let mut joined = OsString::from(format!("{flag}="));
            joined.push(absolute(&OsString::from(value)));
            out.push(joined);
            continue;
        }
        out.push(arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_copy_is_graded_without_file_and_with_absolute_paths() {
        let cwd = Path::new("/home/me/course");
        let got = child_args(
            args(&[
                "--file",
                "wrong.rs",
                "dine",
                "-o",
                "report.txt",
                "--specs=private",
                "--note",
                "/tmp/note.txt",
                "--format",
                "json",
            ])
            .into_iter(),
            cwd,
        );
        assert_eq!(
            got,
            args(&[
                "dine",
                "-o",
                "/home/me/course/report.txt",
                "--specs=/home/me/course/private",
                "--note",
                "/tmp/note.txt",
                "--format",
                "json",
            ])
        );
        let got = child_args(args(&["--file=w.rs", "3"]).into_iter(), cwd);
        assert_eq!(got, args(&["3"]));
    }
}
