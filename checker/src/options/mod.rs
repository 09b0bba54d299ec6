//! The options of a grading run: as the command line gives them ([`GradeArgs`], shared by
//! every command that grades), and resolved once ([`Options::resolve`]) into what the
//! session holds ([`Options`]): every default that depends on the machine, the environment or
//! another option (jobs, colour, the terminal, the sandbox, the seed, the timeline policy,
//! the package under test) is decided there, and nowhere else. The stages below take them from the
//! session; none parses a command line.

use std::path::{Path, PathBuf};

use asynclings_runner::protocol::ClockMode;
use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::exit::{Error, ResultExt as _};
use crate::os::sandbox;
use crate::report::style::{ColorChoice, Style, Terminal};
use crate::report::{Format, classroom50};
use crate::supervise::CaseProcesses;

mod machine;

pub use machine::{Machine, Streams, class_jobs, cores, stdout_of};

/// Options shared by the commands that grade.
#[derive(Debug, Clone, Args)]
pub struct GradeArgs {
    /// Grade only this lesson (its id, e.g. `wait_n`, or its number).
    pub lesson: Option<String>,

    /// Grade this file in place of the lesson's own file (which is left untouched), in a copy
    /// of the course under the target directory: try a wrong version without losing your stub.
    /// With `--solutions`, every other lesson is the reference's (for a lesson built on
    /// earlier ones).
    #[arg(long, value_name = "PATH", requires = "lesson", conflicts_with_all = ["package", "runner", "variant"])]
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
    #[arg(long, value_parser = clock_values(), default_value = "virtual")]
    pub clock: ClockMode,

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
    pub sandbox: Option<sandbox::Mode>,

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
            clock: ClockMode::Virtual,
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
    /// The package under test: `--package`, else `solutions` with `--solutions`, else
    /// `exercises`.
    pub fn package(&self) -> String {
        match (&self.package, self.solutions) {
            (Some(package), _) => package.clone(),
            (None, true) => "solutions".to_string(),
            (None, false) => "exercises".to_string(),
        }
    }
}

/// Whose spec directories a run reads: an input of the sandbox's default ([`Specs::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Specs {
    /// Only the workspace's own `specs/`: the course's public cases.
    Course,
    /// Others (an instructor's hidden cases): the sandbox is required where the OS has one.
    Private,
}

impl Specs {
    /// Whether the spec directories `dirs` are only the workspace `root`'s own `specs/`
    /// (compared as canonical paths; a directory that cannot be resolved is someone else's).
    pub fn of(root: &Path, dirs: &[PathBuf]) -> Self {
        let own = std::fs::canonicalize(root.join("specs")).ok();
        if dirs
            .iter()
            .any(|dir| std::fs::canonicalize(dir).ok() != own)
        {
            Self::Private
        } else {
            Self::Course
        }
    }
}

/// When a case's timeline is recorded (one more run of the case, on the same runner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelinePolicy {
    /// Never (`--no-timeline`, or a report for machines).
    Never,
    /// Under a failing timing case of the human report: the default.
    OnFailure,
    /// For every case that calls a function (`--timeline`, `--timeline-html`).
    Every,
}

/// The options of a grading run, each decided once ([`Options::resolve`]). A session holds
/// them; the stages read them from it.
#[derive(Debug, Clone)]
pub struct Options {
    /// The lesson asked for (its id or number), if one.
    pub lesson: Option<String>,
    /// The package under test (`exercises`, `solutions`, `--package`).
    pub package: String,
    /// Whether the student's own exercises are graded (not `--solutions`, `--package` or
    /// `--runner`): their progress is remembered.
    pub own_exercises: bool,
    /// The runner given (`--runner`), instead of building one.
    pub runner: Option<PathBuf>,
    /// The variant of a runner that holds several implementations.
    pub variant: Option<String>,
    /// Spec directories given (`--specs`); none: the workspace's `specs/`.
    pub specs: Vec<PathBuf>,
    /// The clock cases run on.
    pub clock: ClockMode,
    /// Cases run at once (at least 1).
    pub jobs: usize,
    /// Build with optimisations.
    pub release: bool,
    /// Report format.
    pub format: Format,
    /// Show the details of hidden cases.
    pub show_hidden: bool,
    /// The report's file (`--output`); `None`: stdout.
    pub output: Option<PathBuf>,
    /// Colours for stdout: on or off.
    pub style: Style,
    /// What stdout can do for a report ([`stdout_of`]).
    pub stdout: Terminal,
    /// Which standard streams are terminals.
    pub terminal: Streams,
    /// The sandbox mode: `--sandbox`, else `required` for private specs on an OS with a
    /// sandbox, else `best-effort`.
    pub sandbox: sandbox::Mode,
    /// What the sandbox applies on this machine in that mode.
    pub sandbox_plan: sandbox::Plan,
    /// When timelines are recorded.
    pub timeline: TimelinePolicy,
    /// The HTML page of timelines to write (`--timeline-html`).
    pub timeline_html: Option<PathBuf>,
    /// The run's seed (`--seed`, `ASYNCLINGS_SEED`, or fresh: [`crate::seed::run_seed`]).
    pub seed: u64,
    /// Text to show first in the report's top-level message (`--note`).
    pub note: Option<PathBuf>,
    /// How cases' processes start: the machine's ([`Machine::case_processes`]).
    pub case_processes: CaseProcesses,
    /// The machine's cores ([`Machine::cores`]): how many case servers may rest between
    /// cases (the supervisor's business, handed to it from here).
    pub cores: usize,
    /// Who and what is graded, as Classroom 50's runner says in the environment (read once,
    /// here; what the `classroom50` report names, with placeholders for what is not set).
    pub classroom50: classroom50::Identity,
}

impl Options {
    /// Decides every option of a run from the command line `args` on `machine`.
    ///
    /// - jobs: `--jobs` (at least 1), else every core on the virtual clock and one on the
    ///   real one (where cases would compete for the CPU that their timings measure);
    /// - colour: `--color`, `auto` meaning a terminal on stdout without `NO_COLOR`; and what
    ///   that terminal can do ([`stdout_of`]);
    /// - timelines: every case's with `--timeline` or `--timeline-html`, none with
    ///   `--no-timeline` or a format other than `human`, else those of failing timing cases;
    /// - the sandbox: `--sandbox`, else `required` when `specs` are [`Specs::Private`] on an
    ///   OS with a sandbox, else `best-effort`; and what that mode applies on `machine`.
    ///
    /// # Errors
    /// `ASYNCLINGS_SEED` is set to something that is not a seed ([`Error::Usage`]); the
    /// sandbox is required and `machine` lacks what it needs, saying what
    /// ([`Error::Environment`]).
    pub fn resolve(args: &GradeArgs, machine: &Machine, specs: Specs) -> Result<Self, Error> {
        let timeline = if args.timeline || args.timeline_html.is_some() {
            TimelinePolicy::Every
        } else if args.no_timeline || args.format != Format::Human {
            TimelinePolicy::Never
        } else {
            TimelinePolicy::OnFailure
        };
        let seed = crate::seed::run_seed(args.seed).or_fail(Error::Usage)?;
        let (style, stdout) = stdout_of(args.color, machine);
        let (sandbox, sandbox_plan) = sandbox_mode(args.sandbox, machine.sandbox, specs)?;
        Ok(Self {
            lesson: args.lesson.clone(),
            package: args.package(),
            own_exercises: !args.solutions && args.package.is_none() && args.runner.is_none(),
            runner: args.runner.clone(),
            variant: args.variant.clone(),
            specs: args.specs.clone(),
            clock: args.clock,
            jobs: args
                .jobs
                .unwrap_or(match args.clock {
                    ClockMode::Virtual => machine.cores,
                    ClockMode::Real => 1,
                })
                .max(1),
            release: args.release,
            format: args.format,
            show_hidden: args.show_hidden,
            output: args.output.clone(),
            style,
            stdout,
            terminal: machine.terminal,
            sandbox,
            sandbox_plan,
            timeline,
            timeline_html: args.timeline_html.clone(),
            seed,
            note: args.note.clone(),
            case_processes: machine.case_processes,
            cores: machine.cores,
            classroom50: classroom50::Identity::from_env(),
        })
    }

    /// What is graded, in words: the package, or the runner given, and the variant.
    pub fn subject(&self) -> String {
        // A runner given (`--runner`, which excludes `--package` and `--solutions`) is named
        // after its file.
        let base = match &self.runner {
            Some(runner) => runner
                .file_name()
                .map_or_else(
                    || runner.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
                .trim_end_matches("-runner")
                .to_string(),
            _ => self.package.clone(),
        };
        match &self.variant {
            Some(variant) => format!("{base} ({variant})"),
            None => base,
        }
    }
}

/// The sandbox mode (`asked`, else the default for `specs` on a machine offering `caps`) and
/// what it applies there.
///
/// # Errors
/// `required` where `caps` lack what it needs ([`Error::Environment`]).
fn sandbox_mode(
    asked: Option<sandbox::Mode>,
    caps: sandbox::Capabilities,
    specs: Specs,
) -> Result<(sandbox::Mode, sandbox::Plan), Error> {
    let mode = asked.unwrap_or_else(|| sandbox::default_mode(specs == Specs::Private, &caps));
    let plan = sandbox::decide(mode, &caps, sandbox::DEFAULT_USER).or_fail(Error::Environment)?;
    Ok((mode, plan))
}

/// `--clock`'s values, read into the runner's own [`ClockMode`] (the enum a case request
/// carries), with `--help`'s words for each.
fn clock_values() -> impl TypedValueParser<Value = ClockMode> {
    PossibleValuesParser::new([
        PossibleValue::new(clock_name(ClockMode::Virtual)).help(
            "tokio's paused clock: time jumps to the next timer, so a 10 s lesson grades at once",
        ),
        PossibleValue::new(clock_name(ClockMode::Real))
            .help("The wall clock: watch ten seconds of concurrency take ten seconds"),
    ])
    .map(|name| {
        if name == clock_name(ClockMode::Real) {
            ClockMode::Real
        } else {
            ClockMode::Virtual
        }
    })
}

/// A clock's name on the command line and in reports: `virtual`, `real`.
pub const fn clock_name(clock: ClockMode) -> &'static str {
    match clock {
        ClockMode::Virtual => "virtual",
        ClockMode::Real => "real",
    }
}

#[cfg(test)]
mod tests {
    use super::machine::tests::{FULL_SANDBOX, TERMINAL};
    use super::*;

    /// `args` resolved on `machine`, with a given seed (the environment's is not read).
    fn resolved(args: GradeArgs, machine: &Machine) -> Options {
        Options::resolve(
            &GradeArgs {
                seed: Some(7),
                ..args
            },
            machine,
            Specs::Course,
        )
        .expect("resolves")
    }

    #[test]
    fn jobs_default_to_the_cores_on_the_virtual_clock_and_one_on_the_real_one() {
        assert_eq!(resolved(GradeArgs::default(), &TERMINAL).jobs, 8);
        let real = GradeArgs {
            clock: ClockMode::Real,
            ..GradeArgs::default()
        };
        assert_eq!(resolved(real, &TERMINAL).jobs, 1);
        let given = GradeArgs {
            jobs: Some(3),
            clock: ClockMode::Real,
            ..GradeArgs::default()
        };
        assert_eq!(resolved(given, &TERMINAL).jobs, 3);
    }

    #[test]
    fn jobs_0_is_1() {
        // What every stage reads: the live progress names the next case only when it is 1.
        let zero = GradeArgs {
            jobs: Some(0),
            ..GradeArgs::default()
        };
        assert_eq!(resolved(zero, &TERMINAL).jobs, 1);
        let no_cores = Machine {
            cores: 0,
            ..TERMINAL
        };
        assert_eq!(resolved(GradeArgs::default(), &no_cores).jobs, 1);
    }

    #[test]
    fn the_cores_are_the_machines_for_the_supervisor() {
        // `Session::new` hands them to `Supervisor::with_sandbox` (resting case servers),
        // which must not read the machine again.
        assert_eq!(resolved(GradeArgs::default(), &TERMINAL).cores, 8);
        let real = GradeArgs {
            clock: ClockMode::Real,
            ..GradeArgs::default()
        };
        assert_eq!(resolved(real, &TERMINAL).cores, 8, "whatever the jobs");
    }

    #[test]
    fn block_characters_where_the_locale_says_utf8_on_a_terminal_or_not() {
        assert!(resolved(GradeArgs::default(), &TERMINAL).style.unicode);
        let piped = Machine {
            terminal: Streams::default(),
            ..TERMINAL
        };
        assert!(resolved(GradeArgs::default(), &piped).style.unicode);
        let ascii = Machine {
            utf8: false,
            ..TERMINAL
        };
        assert!(!resolved(GradeArgs::default(), &ascii).style.unicode);
        let never = GradeArgs {
            color: ColorChoice::Never,
            ..GradeArgs::default()
        };
        assert!(
            resolved(never, &TERMINAL).style.unicode,
            "colour is not the locale"
        );
    }

    #[test]
    fn colour_is_on_for_a_terminal_without_no_color_unless_asked() {
        assert!(resolved(GradeArgs::default(), &TERMINAL).style.color);
        let piped = Machine {
            terminal: Streams::default(),
            ..TERMINAL
        };
        assert!(!resolved(GradeArgs::default(), &piped).style.color);
        let no_color = Machine {
            no_color: true,
            ..TERMINAL
        };
        assert!(!resolved(GradeArgs::default(), &no_color).style.color);
        let never = GradeArgs {
            color: ColorChoice::Never,
            ..GradeArgs::default()
        };
        assert!(!resolved(never, &TERMINAL).style.color);
        let always = GradeArgs {
            color: ColorChoice::Always,
            ..GradeArgs::default()
        };
        assert!(resolved(always, &piped).style.color);
    }

    #[test]
    fn timelines_follow_the_flags_and_the_format() {
        let policy = |args: GradeArgs| resolved(args, &TERMINAL).timeline;
        assert_eq!(policy(GradeArgs::default()), TimelinePolicy::OnFailure);
        let json = GradeArgs {
            format: Format::Json,
            ..GradeArgs::default()
        };
        assert_eq!(policy(json), TimelinePolicy::Never);
        let none = GradeArgs {
            no_timeline: true,
            ..GradeArgs::default()
        };
        assert_eq!(policy(none), TimelinePolicy::Never);
        let every = GradeArgs {
            timeline: true,
            format: Format::Json,
            ..GradeArgs::default()
        };
        assert_eq!(policy(every), TimelinePolicy::Every);
        let page = GradeArgs {
            timeline_html: Some("t.html".into()),
            no_timeline: true,
            ..GradeArgs::default()
        };
        assert_eq!(policy(page), TimelinePolicy::Every);
    }

    #[test]
    fn the_package_under_test_and_whether_progress_is_kept() {
        let options = resolved(GradeArgs::default(), &TERMINAL);
        assert_eq!(options.package, "exercises");
        assert!(options.own_exercises);
        let solutions = GradeArgs {
            solutions: true,
            ..GradeArgs::default()
        };
        let options = resolved(solutions, &TERMINAL);
        assert_eq!(options.package, "solutions");
        assert!(!options.own_exercises);
        let other = GradeArgs {
            package: Some("mine".into()),
            ..GradeArgs::default()
        };
        assert_eq!(resolved(other, &TERMINAL).package, "mine");
        let runner = GradeArgs {
            runner: Some("target/debug/x-runner".into()),
            ..GradeArgs::default()
        };
        assert!(!resolved(runner, &TERMINAL).own_exercises);
    }

    #[test]
    fn the_sandbox_is_required_for_private_specs_where_the_os_has_one() {
        let decide = |asked: Option<sandbox::Mode>, machine: &Machine, specs: Specs| {
            let args = GradeArgs {
                sandbox: asked,
                seed: Some(7),
                ..GradeArgs::default()
            };
            Options::resolve(&args, machine, specs)
                .map(|o| (o.sandbox, o.sandbox_plan.active()))
                .map_err(|error| error.exit_status())
        };
        let best_effort = Ok((sandbox::Mode::BestEffort, true));
        assert_eq!(decide(None, &TERMINAL, Specs::Course), best_effort);
        assert_eq!(
            decide(None, &TERMINAL, Specs::Private),
            Ok((sandbox::Mode::Required, true))
        );
        // An OS without a sandbox grades private specs in the open rather than refusing.
        let open = Machine {
            sandbox: sandbox::Capabilities::default(),
            ..TERMINAL
        };
        assert_eq!(
            decide(None, &open, Specs::Private),
            Ok((sandbox::Mode::BestEffort, false))
        );
        assert_eq!(
            decide(Some(sandbox::Mode::Off), &TERMINAL, Specs::Private),
            Ok((sandbox::Mode::Off, false))
        );
        // Asked for and missing: refused, as an environment's problem.
        let old = Machine {
            sandbox: sandbox::Capabilities {
                landlock_abi: Some(3),
                ..FULL_SANDBOX
            },
            ..TERMINAL
        };
        let refused = Err(crate::exit::ENVIRONMENT);
        assert_eq!(
            decide(Some(sandbox::Mode::Required), &old, Specs::Course),
            refused
        );
        assert_eq!(decide(None, &old, Specs::Private), refused);
    }
}
