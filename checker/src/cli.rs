//! The command line: the commands, each with its options (`crate::options` for grading's).

use clap::{Parser, Subcommand};

use crate::options::GradeArgs;

/// Grades the asynclings lessons: builds your code, runs every case on tokio's paused clock,
/// and says what passes, what fails, and why.
#[derive(Debug, Parser)]
#[command(name = "checker", version, after_help = crate::exit::HELP, args_conflicts_with_subcommands = true)]
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
    List(crate::commands::list::ListArgs),
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
    /// Put a lesson's stub back, keeping your version in .asynclings/backups/.
    Reset(crate::commands::reset::ResetArgs),
    /// The verdicts as cargo's JSON messages, for an editor's check on save (docs/editor.md).
    Diagnostics(crate::commands::diagnostics::DiagnosticsArgs),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_grade_args_are_those_of_an_empty_command_line() {
        let parsed = Cli::try_parse_from(["checker"]).expect("an empty command line parses");
        assert_eq!(
            format!("{:?}", parsed.grade),
            format!("{:?}", GradeArgs::default())
        );
    }
}
