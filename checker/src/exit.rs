//! The checker's exit statuses, and the typed error that carries one.
//!
//! A command returns `Ok(status)` when it did its work (graded, listed, checked), with
//! [`PASS`], [`FAIL`], [`BUILD`] or [`INTERRUPTED`]; or an error when it could not. An error
//! is tagged with the [`Failure`] it is where it arises ([`ResultExt::or_fail`]), and
//! [`status_of`] turns it into the exit status: the tag nearest its origin wins, and an
//! untagged error is a usage error. Every status is listed in `--help` ([`HELP`]), the README
//! and `docs/results.md`; `checker/tests/it/bad_input.rs` checks each.

use std::fmt;

/// Every case passed (or the command did what it was asked).
pub const PASS: u8 = 0;
/// Some case failed or is not implemented yet.
pub const FAIL: u8 = 1;
/// Usage error, or a problem in the specs: nothing was graded.
pub const USAGE: u8 = 2;
/// The code under test does not build (the report says why), or cargo could not be run.
pub const BUILD: u8 = 3;
/// A report or another output file could not be written.
pub const IO: u8 = 4;
/// The machine cannot do what was asked: `--sandbox required` without the sandbox.
pub const ENVIRONMENT: u8 = 5;
/// Interrupted (Ctrl-C, SIGTERM): the report holds the cases that finished.
pub const INTERRUPTED: u8 = 130;

/// `--help`'s list of exit statuses.
pub const HELP: &str = "\
Exit status:
  0    every case passes
  1    some case fails (or is not implemented yet)
  2    usage error, or a problem in the specs: nothing was graded
  3    the code under test does not build (the report says why), or cargo cannot run
  4    a report or output file cannot be written
  5    --sandbox required, and this machine cannot confine the student's code
  130  interrupted (Ctrl-C or SIGTERM): the report still lists every case, those that did
       not finish as errors";

/// What kind of failure an error is: decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The command line asks for something that does not exist or cannot be.
    Usage,
    /// The specs (or the course registry) have a problem.
    Spec,
    /// Cargo or the runner could not be run at all.
    Build,
    /// A file could not be read or written.
    Io,
    /// The machine lacks what was required (the sandbox).
    Environment,
}

impl Failure {
    /// The exit status of this failure.
    pub const fn status(self) -> u8 {
        match self {
            Self::Usage | Self::Spec => USAGE,
            Self::Build => BUILD,
            Self::Io => IO,
            Self::Environment => ENVIRONMENT,
        }
    }
}

/// An error tagged with its [`Failure`]. Shown as the error it wraps.
#[derive(Debug)]
pub struct Error {
    failure: Failure,
    error: anyhow::Error,
}

impl Error {
    /// The failure this error is.
    pub const fn failure(&self) -> Failure {
        self.failure
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.error)
    }
}

impl std::error::Error for Error {}

/// Tags the error of a `Result` with its [`Failure`].
pub trait ResultExt<T> {
    /// The same result, its error tagged `failure` unless it already has a tag (the tag
    /// nearest the origin is the truest).
    fn or_fail(self, failure: Failure) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> ResultExt<T> for Result<T, E> {
    fn or_fail(self, failure: Failure) -> anyhow::Result<T> {
        self.map_err(|error| tag(error.into(), failure))
    }
}

/// `error` tagged `failure`, unless it already has a tag.
pub fn tag(error: anyhow::Error, failure: Failure) -> anyhow::Error {
    if failure_of(&error).is_some() {
        error
    } else {
        anyhow::Error::new(Error { failure, error })
    }
}

/// The failure an error was tagged with, if any.
pub fn failure_of(error: &anyhow::Error) -> Option<Failure> {
    error
        .chain()
        .find_map(|cause| cause.downcast_ref::<Error>())
        .map(Error::failure)
}

/// The exit status for an error a command ended with: its tag's, or [`USAGE`] untagged.
pub fn status_of(error: &anyhow::Error) -> u8 {
    failure_of(error).map_or(USAGE, Failure::status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn an_untagged_error_is_a_usage_error() {
        assert_eq!(status_of(&anyhow::anyhow!("no such lesson")), USAGE);
    }

    #[test]
    fn a_tag_survives_context_added_above_it() {
        let error = Err::<(), _>(std::io::Error::other("disk full"))
            .or_fail(Failure::Io)
            .context("cannot write the report")
            .unwrap_err();
        assert_eq!(status_of(&error), IO);
        assert_eq!(
            format!("{error:#}"),
            "cannot write the report: disk full",
            "the tag adds no words"
        );
    }

    #[test]
    fn the_tag_nearest_the_origin_wins() {
        let error = Err::<(), _>(anyhow::anyhow!("cargo not found"))
            .or_fail(Failure::Build)
            .or_fail(Failure::Usage)
            .unwrap_err();
        assert_eq!(status_of(&error), BUILD);
    }

    #[test]
    fn every_status_is_in_the_help() {
        for status in [PASS, FAIL, USAGE, BUILD, IO, ENVIRONMENT, INTERRUPTED] {
            assert!(
                HELP.lines()
                    .any(|l| l.trim_start().starts_with(&format!("{status} "))),
                "--help does not list {status}"
            );
        }
    }
}
