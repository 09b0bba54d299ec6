//! `checker grade-many SUBMISSIONS --out DIR`: grades a whole class against the course
//! (`crate::class`), and writes one JSON report per student, `gradebook.csv` and
//! `dashboard.html` into DIR. `docs/class.md` is the instructor's guide.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;

use crate::class::args::SummaryArgs;
use crate::class::{self, batch, shard::Shard};
use crate::exit::{self, Error, ResultExt as _};
use crate::os::sandbox;

/// Options of `checker grade-many`.
#[derive(Debug, Clone, Args)]
pub struct GradeManyArgs {
    /// The class folder: one folder per student, named after the student.
    #[arg(value_name = "SUBMISSIONS")]
    pub submissions: PathBuf,

    /// Where the reports, the gradebook and the dashboard go (made if missing; a later run
    /// into the same folder grades only what changed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Where the workers' grading workspaces and their builds live (default: DIR/.work).
    /// Keep it between runs (a CI cache) to skip building the dependencies again; one run at
    /// a time may use it.
    #[arg(long, value_name = "WORK")]
    pub work: Option<PathBuf>,

    /// Spec directory (default: `specs/` of the course); may be given several times, as for
    /// grading one submission (hidden cases in a folder of their own).
    #[arg(long = "specs", value_name = "DIR")]
    pub specs: Vec<PathBuf>,

    /// Submissions graded at once, each in its own workspace with its own build (default:
    /// the number of cores, at most 4).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,

    /// Grade only the K-th of N shares of the class (for N parallel CI jobs; `checker merge`
    /// combines their outputs). A student's share depends on their name alone.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,

    /// Longest a submission may take to build and grade, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,

    /// Confinement of each grading run (default: as for grading one submission: `required`
    /// with --specs, else `best-effort`).
    #[arg(long, value_enum, value_name = "MODE")]
    pub sandbox: Option<sandbox::Mode>,

    /// What the summaries include (LMS files, similarity).
    #[command(flatten)]
    pub summaries: SummaryArgs,
}

/// Grades the class; returns 0 when every submission was graded, 1 when some could not be
/// (their reports say why).
///
/// # Errors
/// Bad input ([`Error::Usage`], [`Error::Spec`]: the dashboard then says what was wrong),
/// an output file that cannot be written ([`Error::Io`]), the course that cannot be built
/// ([`Error::Build`]).
pub fn run(args: &GradeManyArgs) -> Result<u8, crate::exit::Error> {
    let root = crate::workspace::root()?;
    let extras = args.summaries.extras(Some(&root)).or_fail(Error::Usage)?;
    let specs = args
        .specs
        .iter()
        .map(|dir| std::path::absolute(dir).with_context(|| format!("bad path {}", dir.display())))
        .collect::<anyhow::Result<Vec<_>>>()
        .or_fail(Error::Usage)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot make the output folder {}", args.out.display()))
        .or_fail(Error::Io)?;
    // Absolute: each grading run works in a folder of its own.
    let absolute =
        |p: &PathBuf| std::path::absolute(p).with_context(|| format!("bad path {}", p.display()));
    let out = absolute(&args.out).or_fail(Error::Usage)?;
    let machine = crate::options::Machine::detect();
    let options = batch::Options {
        submissions: absolute(&args.submissions).or_fail(Error::Usage)?,
        work: match &args.work {
            Some(work) => absolute(work).or_fail(Error::Usage)?,
            None => out.join(".work"),
        },
        out,
        specs,
        jobs: args
            .jobs
            .unwrap_or_else(|| crate::options::class_jobs(machine.cores))
            .max(1),
        shard: args.shard,
        timeout: Duration::from_secs(args.timeout.max(1)),
        sandbox: args.sandbox,
        progress_bar: machine.terminal.stderr,
    };
    let outcome = match batch::run(&root, &options) {
        Ok(outcome) => outcome,
        Err(error) => {
            // Bad input still leaves a dashboard that says what was wrong, over what an earlier
            // run graded: the reports already in the output folder (those that can be read) are kept, and so is their
            // gradebook (an empty one would replace the grades an LMS imports). If that cannot
            // be written, the bad input stays the run's failure (its status): the other is said.
            let problem = format!("Nothing was graded: {error:#}");
            let extras = class::Extras::default();
            let earlier = class::readable_students(&args.out);
            if let Err(unwritten) =
                class::write_summaries(&args.out, &earlier, Some(&problem), &extras)
            {
                eprintln!("checker: {unwritten}");
            }
            return Err(error);
        }
    };
    let mut students = Vec::new();
    for student in &outcome.students {
        students.push(
            class::read_student(&batch::student_file(&args.out, student)).or_fail(Error::Io)?,
        );
    }
    let summaries = class::write_summaries(&args.out, &students, None, &extras);
    // A file that cannot be written (exit status 4) ends the run before the gradebook and
    // the dashboard are said to be written: they may not be. An LMS file that cannot be made
    // (a roster problem: 2) is found after every other file is written.
    if let Err(error @ Error::Io(_)) = summaries {
        return Err(error);
    }
    let shard = match args.shard {
        Some(shard) => format!(
            " (shard {shard}: {} other submission(s) are in other shards)",
            outcome.other_shards
        ),
        None => String::new(),
    };
    println!(
        "Graded {} submission(s), reused {} unchanged{shard}; wrote {} and {}.",
        outcome.graded,
        outcome.reused,
        args.out.join(class::GRADEBOOK).display(),
        args.out.join(class::DASHBOARD).display()
    );
    println!("Also wrote: {}.", summaries?.join(", "));
    if outcome.failed.is_empty() {
        return Ok(exit::PASS);
    }
    let names: Vec<String> = outcome
        .failed
        .iter()
        .map(|s| crate::text::safe::line(s))
        .collect();
    println!(
        "Could not be graded ({}): {}. Their reports in {} say why.",
        names.len(),
        names.join(", "),
        args.out.join(class::STUDENTS_DIR).display()
    );
    Ok(exit::FAIL)
}
