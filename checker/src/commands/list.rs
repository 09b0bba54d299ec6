//! `checker list`: every lesson with its status, graded, and where to go next. On a terminal
//! it stays open with a cursor: open a lesson, grade it, reset it (`interactive`).

mod interactive;

use clap::Args;

use crate::live::grade_with_progress;
use crate::options::GradeArgs;
use crate::report::Format;
use crate::report::human::{self, Options};
use crate::session::Session;

/// Options of `checker list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// The command that opens a lesson's file (given as its last argument) from the list on a
    /// terminal (default: `$VISUAL`, then `$EDITOR`).
    #[arg(long, value_name = "COMMAND")]
    pub edit_cmd: Option<String>,

    /// Grading options.
    #[command(flatten)]
    pub grade: GradeArgs,
}

/// Grades every lesson and prints one line each, then the progress; on a terminal, keeps the
/// list open until the student quits.
pub fn run(list: &ListArgs) -> Result<u8, crate::exit::Error> {
    let args = &list.grade;
    if args.format != Format::Human || args.output.is_some() {
        return Err(crate::exit::Error::Usage(anyhow::anyhow!(
            "`checker list` prints for people; for a machine-readable report use `checker --format {}`",
            "json"
        )));
    }
    let session = Session::new(args)?;
    let graded = grade_with_progress(&session)?;
    let terminal = session.options.terminal;
    if terminal.stdin && terminal.stdout {
        let (root, style) = (session.root.clone(), session.options.style);
        drop(session);
        return interactive::run(args, &root, graded.results, style, list.edit_cmd.as_deref());
    }
    let options = Options::stdout(session.options.style, session.options.stdout);
    crate::report::output::write_stdout(&human::render_list(&graded.results, &options))?;
    Ok(graded.exit)
}
