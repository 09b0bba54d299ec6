//! `checker template OUT`: writes the student repository of a graded course
//! ([`crate::template`]).

use std::path::PathBuf;

use clap::Args;

use crate::template::{MEMBERS, write_template};

/// Options of `checker template`.
#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// The folder to write (it must not exist, or be empty).
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
}

/// Writes the template; returns the exit status.
pub fn run(args: &TemplateArgs) -> Result<u8, crate::exit::Error> {
    let root = crate::workspace::root()?;
    write_template(&root, &args.out)?;
    println!(
        "Wrote the student repository to {} (packages {}; no solutions, no hidden cases). Try it: cd {} && cargo run -p checker",
        args.out.display(),
        MEMBERS.join(", "),
        args.out.display()
    );
    Ok(0)
}
