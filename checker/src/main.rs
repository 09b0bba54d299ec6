//! `checker`: see `checker --help`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    checker::app::run(checker::cli::Cli::parse())
}
