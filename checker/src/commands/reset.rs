//! `checker reset LESSON`: puts a lesson's stub back, keeping the student's version
//! (`crate::stub`).

use clap::Args;

use crate::spec;
use crate::workspace;

/// Options of `checker reset`.
#[derive(Debug, Clone, Args)]
pub struct ResetArgs {
    /// The lesson (its id, e.g. `wait_n`, or its number).
    pub lesson: String,
}

/// Resets the lesson; returns the exit status.
pub fn run(args: &ResetArgs) -> Result<u8, crate::exit::Error> {
    let root = workspace::root()?;
    let lessons = spec::load_specs(&spec::spec_dirs(&root, &[]))?;
    let lesson = spec::select(&lessons, &args.lesson)?;
    let file = format!("exercises/src/{}", lesson.file);
    let outcome = crate::stub::reset(&root, &file)?;
    println!("{}", crate::stub::said(&outcome, &file));
    Ok(0)
}
