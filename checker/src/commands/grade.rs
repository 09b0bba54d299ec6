//! `checker [LESSON]`: grade and report.

use crate::cli::GradeArgs;
use crate::session::Session;

/// Grades and prints the report; returns the exit status.
pub fn run(args: &GradeArgs) -> anyhow::Result<u8> {
    let session = Session::new(args)?;
    let graded = session.grade(&|_| {})?;
    session.emit(&graded)?;
    Ok(graded.exit)
}
