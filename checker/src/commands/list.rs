//! `checker list`: every lesson with its status, graded.

use crate::cli::GradeArgs;
use crate::report::human;
use crate::session::{self, Session};

/// Grades every lesson and prints one line each.
pub fn run(args: &GradeArgs) -> anyhow::Result<u8> {
    let session = Session::new(args)?;
    let graded = session.grade(&|_| {})?;
    session::write_stdout(&human::render_list(&graded.results, session.style))?;
    Ok(graded.exit)
}
