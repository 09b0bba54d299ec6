//! `checker list`: every lesson with its status, graded, and where to go next.

use crate::commands::grade::grade_with_progress;
use crate::options::GradeArgs;
use crate::report::Format;
use crate::report::human::{self, Options};
use crate::session::Session;

/// Grades every lesson and prints one line each, then the progress.
pub fn run(args: &GradeArgs) -> anyhow::Result<u8> {
    if args.format != Format::Human || args.output.is_some() {
        anyhow::bail!(
            "`checker list` prints for people; for a machine-readable report use `checker --format {}`",
            "json"
        );
    }
    let session = Session::new(args)?;
    let graded = grade_with_progress(&session)?;
    let options = Options::stdout(session.style);
    crate::report::output::write_stdout(&human::render_list(&graded.results, &options))?;
    Ok(graded.exit)
}
