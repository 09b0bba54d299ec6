//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::style::ColorChoice;

/// Grades the asynclings lessons: builds your code, runs every case on tokio's paused clock,
/// and says what passes, what fails, and why.
#[derive(Debug, Parser)]
#[command(name = "checker", version, after_help = EXIT_CODES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do (default: grade).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Grading options (for the default command).
    #[command(flatten)]
    pub grade: GradeArgs,
}

/// The checker's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every lesson with its status.
    List(GradeArgs),
    /// Print a lesson's hint.
    Hint(crate::commands::hint::HintArgs),
    /// Check spec files without running anything; report every problem with its location.
    Validate(crate::commands::validate::ValidateArgs),
    /// The instructor's check: the reference passes, the stubs are stubs, every lesson is complete.
    Verify(crate::commands::verify::VerifyArgs),
    /// Scaffold a new lesson: stub, reference, spec and binding.
    New(crate::commands::new::NewArgs),
    /// Measure the checker: suite time, per-case overhead, scale, edit-to-verdict, determinism.
    Bench(crate::commands::bench::BenchArgs),
    /// Re-grade on every save of a lesson file.
    Watch(crate::commands::watch::WatchArgs),
    /// Find a submission's lesson files in any layout and put them in place of the stubs.
    Collect(crate::commands::collect::CollectArgs),
    /// Write the student repository: stubs, public specs, the checker; no solutions.
    Template(crate::commands::template::TemplateArgs),
    /// Grade a whole class: one folder per student; writes their reports, a gradebook and a dashboard.
    GradeMany(crate::commands::grade_many::GradeManyArgs),
    /// Combine the outputs of `grade-many --shard` runs into one gradebook and dashboard.
    Merge(crate::commands::merge::MergeArgs),
    /// Draw what ran when in a lesson's cases, on the virtual clock (`--html FILE`: for a browser).
    Timeline(crate::commands::timeline::TimelineArgs),
}

/// Options shared by the commands that grade.
#[derive(Debug, Clone, Args)]
pub struct GradeArgs {
    /// Grade only this lesson (its id, e.g. `wait_n`, or its number).
    pub lesson: Option<String>,

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

    /// Never draw a timeline under a failing timing case (saves building the timeline runner).
    #[arg(long)]
    pub no_timeline: bool,

    /// Text to show first in the report's top-level message (Gradescope's `output`), such as
    /// what `checker collect` used of a submission.
    #[arg(long, value_name = "FILE")]
    pub note: Option<PathBuf>,
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

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: one line per lesson, then the next lesson in detail.
    Human,
    /// Our JSON schema (docs/results.md).
    Json,
    /// JUnit XML: one testsuite per lesson, one testcase per case.
    Junit,
    /// Gradescope's results.json.
    Gradescope,
    /// Legacy: GitHub Classroom's v1 result object, base64-encoded (GitHub Classroom ended on 2026-08-28).
    GithubClassroom,
    /// Classroom 50's result.json (schema classroom50/result/v1), for a custom autograder.
    Classroom50,
}

/// Exit codes, shown by `--help`.
pub const EXIT_CODES: &str = "Exit status: 0 every case passes; 1 some case fails; 2 usage or spec error; 3 the code under test does not build; 130 interrupted (Ctrl-C or SIGTERM: the report still lists every case, those that did not finish as errors).";
