//! The checker's exit statuses, and the one error type a command can end with.
//!
//! A command returns `Ok(status)` when it did its work (graded, listed, checked), with
//! [`PASS`], [`FAIL`], [`BUILD`] or [`INTERRUPTED`]; or an [`Error`] when it could not. The
//! error is closed: each variant is one documented kind of failure, and
//! [`Error::exit_status`] maps every variant to its status, exhaustively. A module's error
//! becomes one where it arises ([`ResultExt::or_fail`]: `.or_fail(Error::Io)?`); `?` cannot
//! turn a typed error back into an `anyhow::Error` (it is no `std::error::Error`; only
//! [`Error::into_cause`] drops its kind, explicitly), so it keeps its kind up to `main`, and a
//! failure no code named cannot reach the exit status.
//! Every status is listed in `--help` ([`HELP`]), the README and `docs/results.md`;
//! `checker/tests/it/bad_input.rs` checks each.

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

/// Why a command could not do its work: one variant per documented kind of failure, each
/// holding what happened with its context (shown as `outer: inner: cause`).
#[derive(Debug)]
pub enum Error {
    /// The command line asks for something that does not exist or cannot be (no such lesson,
    /// conflicting options, a missing input file). Exit status [`USAGE`].
    Usage(anyhow::Error),
    /// The specs (or the course registry) have a problem. Exit status [`USAGE`]: nothing was
    /// graded.
    Spec(anyhow::Error),
    /// Cargo or the runner could not be run at all. Exit status [`BUILD`].
    Build(anyhow::Error),
    /// A report, gradebook or other output could not be written (or an input file of the
    /// course read). Exit status [`IO`].
    Io(anyhow::Error),
    /// The machine lacks what was required (the sandbox). Exit status [`ENVIRONMENT`].
    Environment(anyhow::Error),
}

impl Error {
    /// The exit status of this failure, as `--help` ([`HELP`]) documents it.
    pub const fn exit_status(&self) -> u8 {
        match self {
            Self::Usage(_) | Self::Spec(_) => USAGE,
            Self::Build(_) => BUILD,
            Self::Io(_) => IO,
            Self::Environment(_) => ENVIRONMENT,
        }
    }

    /// What happened, with its context.
    pub const fn cause(&self) -> &anyhow::Error {
        match self {
            Self::Usage(error)
            | Self::Spec(error)
            | Self::Build(error)
            | Self::Io(error)
            | Self::Environment(error) => error,
        }
    }

    /// What happened, its kind dropped: for a caller that reports the failure as one of
    /// several (`checker verify`'s checks) rather than ending with it.
    pub fn into_cause(self) -> anyhow::Error {
        match self {
            Self::Usage(error)
            | Self::Spec(error)
            | Self::Build(error)
            | Self::Io(error)
            | Self::Environment(error) => error,
        }
    }

    /// The same failure, with `context` said first (`context: what happened`).
    #[must_use]
    pub fn context<C>(self, context: C) -> Self
    where
        C: fmt::Display + Send + Sync + 'static,
    {
        self.map(|error| error.context(context))
    }

    fn map(self, f: impl FnOnce(anyhow::Error) -> anyhow::Error) -> Self {
        match self {
            Self::Usage(error) => Self::Usage(f(error)),
            Self::Spec(error) => Self::Spec(f(error)),
            Self::Build(error) => Self::Build(f(error)),
            Self::Io(error) => Self::Io(f(error)),
            Self::Environment(error) => Self::Environment(f(error)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.cause())
    }
}

/// A variant of [`Error`] as a function: `Error::Io` makes an I/O failure of what happened.
pub type Kind = fn(anyhow::Error) -> Error;

/// Makes the error of a `Result` a typed [`Error`].
pub trait ResultExt<T> {
    /// The same result, its error made the failure `kind` (a variant of [`Error`]:
    /// `.or_fail(Error::Io)`). A result that is already an [`Error`] has no `or_fail`: its
    /// kind was decided nearer its origin.
    fn or_fail(self, kind: Kind) -> Result<T, Error>;
}

impl<T, E: Into<anyhow::Error>> ResultExt<T> for Result<T, E> {
    fn or_fail(self, kind: Kind) -> Result<T, Error> {
        self.map_err(|error| kind(error.into()))
    }
}

/// Adds context to a typed [`Error`], keeping its kind (as `anyhow::Context` does for
/// untyped ones).
pub trait Context<T> {
    /// The same result, its error with `context` said first.
    fn context<C>(self, context: C) -> Result<T, Error>
    where
        C: fmt::Display + Send + Sync + 'static;

    /// As [`Context::context`], the context made only on an error.
    fn with_context<C, F>(self, f: F) -> Result<T, Error>
    where
        C: fmt::Display + Send + Sync + 'static,
        F: FnOnce() -> C;
}

impl<T> Context<T> for Result<T, Error> {
    fn context<C>(self, context: C) -> Result<T, Error>
    where
        C: fmt::Display + Send + Sync + 'static,
    {
        self.map_err(|error| error.context(context))
    }

    fn with_context<C, F>(self, f: F) -> Result<T, Error>
    where
        C: fmt::Display + Send + Sync + 'static,
        F: FnOnce() -> C,
    {
        self.map_err(|error| error.context(f()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> [(Kind, u8); 5] {
        [
            (Error::Usage, USAGE),
            (Error::Spec, USAGE),
            (Error::Build, BUILD),
            (Error::Io, IO),
            (Error::Environment, ENVIRONMENT),
        ]
    }

    #[test]
    fn every_variant_exits_with_its_documented_status() {
        for (kind, status) in every_kind() {
            let error = kind(anyhow::anyhow!("it went wrong"));
            assert_eq!(error.exit_status(), status, "{error:?}");
            assert!(
                HELP.lines()
                    .any(|l| l.trim_start().starts_with(&format!("{status} "))),
                "--help does not list {status}, the status of {error:?}"
            );
        }
    }

    #[test]
    fn context_keeps_the_kind_and_adds_its_words_first() {
        let error = Err::<(), _>(std::io::Error::other("disk full"))
            .or_fail(Error::Io)
            .context("cannot write the report")
            .unwrap_err();
        assert_eq!(error.exit_status(), IO);
        assert!(matches!(error, Error::Io(_)));
        assert_eq!(
            error.to_string(),
            "cannot write the report: disk full",
            "the kind adds no words"
        );
    }

    #[test]
    fn with_context_keeps_the_kind() {
        for (kind, status) in every_kind() {
            let error = Err::<(), _>(anyhow::anyhow!("cargo not found"))
                .or_fail(kind)
                .with_context(|| "cannot build")
                .unwrap_err();
            assert_eq!(error.exit_status(), status);
            assert_eq!(error.to_string(), "cannot build: cargo not found");
        }
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
