//! `checker validate [DIR...]`: checks spec files without running any case
//! ([`crate::validation`]), and reports every problem at once.

use std::path::PathBuf;

use clap::Args;

use crate::cancel::Cancel;
use crate::exit::{self, Error, ResultExt as _};
use crate::report::style::ColorChoice;
use crate::supervise::{Runner, Supervisor};
use crate::validation::{Manifest, reference_manifest, render, validate};

/// Options of `checker validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Spec directories to check (default: `specs/` of the workspace).
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Check functions and arguments against this runner's binding table instead of building
    /// the reference solutions' runner.
    #[arg(long, value_name = "PATH", conflicts_with = "no_build")]
    pub runner: Option<PathBuf>,

    /// Do not build anything: skip the checks that need the binding table (lesson and
    /// function names, arguments).
    #[arg(long)]
    pub no_build: bool,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Runs `checker validate`.
pub fn run(args: &ValidateArgs) -> Result<u8, crate::exit::Error> {
    let root = crate::workspace::root()?;
    let dirs = crate::spec::spec_dirs(&root, &args.dirs);
    let machine = crate::options::Machine::detect();
    let (style, _) = crate::options::stdout_of(args.color, &machine);
    let color = style.color;
    let manifest = if args.no_build {
        None
    } else if let Some(path) = &args.runner {
        Some(
            Supervisor::new(Cancel::new(), machine.cores)
                .read_manifest(&Runner {
                    path: path.clone(),
                    variant: None,
                })
                .or_fail(Error::Build)?,
        )
    } else {
        match reference_manifest(&root, color, machine.cores).or_fail(Error::Build)? {
            Manifest::Built(manifest) => Some(manifest),
            Manifest::DidNotBuild(compiler) => {
                eprintln!("{compiler}");
                eprintln!(
                    "checker: the reference solutions do not build, so the specs cannot be checked against their functions"
                );
                return Ok(exit::BUILD);
            }
        }
    };
    let validation = validate(&dirs, manifest.as_deref()).or_fail(Error::Spec)?;
    crate::report::output::write_stdout(&render(&validation, color))?;
    Ok(if validation.problems().next().is_some() {
        exit::USAGE
    } else {
        exit::PASS
    })
}
