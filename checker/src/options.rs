//! The options of a grading run: as the command line gives them ([`GradeArgs`], shared by
//! every command that grades), and resolved where a default depends on the machine
//! ([`GradeArgs::resolved_jobs`]). The stages below take them from here; none parses a
//! command line.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::report::Format;
use crate::report::style::ColorChoice;

/// Options shared by the commands that grade.
#[derive(Debug, Clone, Args)]
pub struct GradeArgs {
    /// Grade only this lesson (its id, e.g. `wait_n`, or its number).
    pub lesson: Option<String>,

    /// Grade this file in place of the lesson's own file (which is left untouched), in a copy
    /// of the course under the target directory: try a wrong version without losing your stub.
    #[arg(long, value_name = "PATH", requires = "lesson", conflicts_with_all = ["solutions", "package", "runner", "variant"])]
    pub file: Option<PathBuf>,

    /// Grade the reference solutions instead of your exercises.
    #[arg(long, conflicts_with_all = ["package", "runner"])]
    pub solutions: bool,

    /// Grade another implementation package of the workspace (its runner is `PACKAGE-runner`).
    #[arg(long, value_name = "PACKAGE", conflicts_with = "runner")]
    pub package: Option<String>,

    /// Use this already-built runner binary instead of building one.
    #[arg(long, value_name = "PATH")]
    pub runner: Option<PathBuf>,

    /// Variant of a runner that holds several implementations (the corpus).
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,

    /// Spec directory (default: `specs/` of the workspace); may be given several times.
    #[arg(long = "specs", value_name = "DIR")]
    pub specs: Vec<PathBuf>,

    /// Which clock cases run on.
    #[arg(long, value_enum, default_value_t = Clock::Virtual)]
    pub clock: Clock,

    /// Cases run at once (default: the number of cores on the virtual clock, 1 on the real one).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,

    /// Build the code under test with optimisations.
    #[arg(long)]
    pub release: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Show the details of hidden cases (for instructors).
    #[arg(long)]
    pub show_hidden: bool,

    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Confine the build and the cases (Linux: Landlock, seccomp, `nobody` when root). Default:
    /// `required` with --specs other than the workspace's specs/, else `best-effort`.
    #[arg(long, value_enum, value_name = "MODE")]
    pub sandbox: Option<SandboxMode>,

    /// Also write an HTML page with the timeline of every case (what ran when) to this file.
    #[arg(long, value_name = "FILE")]
    pub timeline_html: Option<PathBuf>,

    /// Record the timeline of every case that calls a function (the JSON report carries them).
    #[arg(long, conflicts_with = "no_timeline")]
    pub timeline: bool,

    /// Never draw a timeline under a failing timing case (saves one more run of each).
    #[arg(long)]
    pub no_timeline: bool,

    /// Replay a run: draw the code under test's random numbers (and tokio's random choices)
    /// from this seed, as the run that printed it did (default: $ASYNCLINGS_SEED, else a
    /// fresh seed each run).
    #[arg(long, value_name = "SEED")]
    pub seed: Option<u64>,

    /// Text to show first in the report's top-level message (Gradescope's `output`), such as
    /// what `checker collect` used of a submission.
    #[arg(long, value_name = "FILE")]
    pub note: Option<PathBuf>,
}

impl Default for GradeArgs {
    /// What an empty command line gives (`checker`): every option at its default. For
    /// commands that grade on their own terms (`verify`), without making a command line.
    fn default() -> Self {
        Self {
            lesson: None,
            file: None,
            solutions: false,
            package: None,
            runner: None,
            variant: None,
            specs: Vec::new(),
            clock: Clock::Virtual,
            jobs: None,
            release: false,
            format: Format::Human,
            show_hidden: false,
            output: None,
            color: ColorChoice::Auto,
            sandbox: None,
            timeline_html: None,
            timeline: false,
            no_timeline: false,
            seed: None,
            note: None,
        }
    }
}

impl GradeArgs {
    /// Cases run at once: `--jobs`, else every core on the virtual clock and one on the real
    /// one (where cases would compete for the CPU that their timings measure).
    pub fn resolved_jobs(&self) -> usize {
        self.jobs.unwrap_or(match self.clock {
            Clock::Virtual => std::thread::available_parallelism().map_or(2, |n| n.get()),
            Clock::Real => 1,
        })
    }
}

/// How hard to confine the code under test (`docs/security.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxMode {
    /// All of it (Landlock ABI 6 or later, seccomp), or refuse to grade.
    Required,
    /// What the kernel offers; the report says what held.
    BestEffort,
    /// None.
    Off,
}

impl From<SandboxMode> for crate::os::sandbox::Mode {
    fn from(mode: SandboxMode) -> Self {
        match mode {
            SandboxMode::Required => Self::Required,
            SandboxMode::BestEffort => Self::BestEffort,
            SandboxMode::Off => Self::Off,
        }
    }
}

/// The clock cases run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Clock {
    /// tokio's paused clock: time jumps to the next timer, so a 10 s lesson grades at once.
    Virtual,
    /// The wall clock: watch ten seconds of concurrency take ten seconds.
    Real,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_default_to_one_on_the_real_clock() {
        let real = GradeArgs {
            clock: Clock::Real,
            ..GradeArgs::default()
        };
        assert_eq!(real.resolved_jobs(), 1);
        let given = GradeArgs {
            jobs: Some(3),
            ..GradeArgs::default()
        };
        assert_eq!(given.resolved_jobs(), 3);
    }
}
