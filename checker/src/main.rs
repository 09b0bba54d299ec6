//! `checker`: see `checker --help`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // First of all: as the sandbox launcher, confine this fresh process and run the program.
    checker::os::sandbox::launch_if_asked();
    checker::app::run(checker::cli::Cli::parse())
}
