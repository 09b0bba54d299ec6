//! From the command line to the exit status: dispatches to the commands.

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::commands;

/// Runs the checker; returns the exit status.
pub fn run(cli: Cli) -> ExitCode {
    let result = match &cli.command {
        None if cli.grade.file.is_some() => commands::grade_file::run(&cli.grade),
        None => commands::grade::run(&cli.grade),
        // `--file` grades a copy of the course: the same command runs again in the copy.
        Some(Command::List(args)) if args.grade.file.is_some() => {
            commands::grade_file::run(&args.grade)
        }
        Some(Command::Timeline(args)) if args.grade.file.is_some() => {
            commands::grade_file::run(&args.grade)
        }
        Some(Command::List(args)) => commands::list::run(args),
        Some(Command::Hint(args)) => commands::hint::run(args),
        Some(Command::Validate(args)) => commands::validate::run(args),
        Some(Command::Verify(args)) => commands::verify::run(args),
        Some(Command::New(args)) => commands::new::run(args),
        Some(Command::Watch(args)) => commands::watch::run(args),
        Some(Command::Bench(args)) => commands::bench::run(args),
        Some(Command::Collect(args)) => commands::collect::run(args),
        Some(Command::Template(args)) => commands::template::run(args),
        Some(Command::Timeline(args)) => commands::timeline::run(args),
        Some(Command::GradeMany(args)) => commands::grade_many::run(args),
        Some(Command::Merge(args)) => commands::merge::run(args),
        Some(Command::Reset(args)) => commands::reset::run(args),
        Some(Command::Diagnostics(args)) => commands::diagnostics::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("checker: {error}");
            ExitCode::from(error.exit_status())
        }
    }
}
