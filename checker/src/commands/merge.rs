//! `checker merge DIR... --out DIR`: combines the outputs of `grade-many --shard K/N` runs
//! into one `students/`, `gradebook.csv` and `dashboard.html`, as one run would have written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use crate::class;
use crate::class::args::SummaryArgs;
use crate::exit::{self, Error, ResultExt as _};

/// Options of `checker merge`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// Output folders of `checker grade-many` (shards of one class).
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Where the combined reports, gradebook and dashboard go.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// What the summaries include (LMS files, similarity), as for `grade-many`.
    #[command(flatten)]
    pub summaries: SummaryArgs,
}

/// Merges; a student found in two of the folders is an error naming both.
///
/// # Errors
/// A folder that is not a `grade-many` output, or a student in two ([`Error::Usage`]); a file
/// that cannot be written ([`Error::Io`]).
pub fn run(args: &MergeArgs) -> Result<u8, crate::exit::Error> {
    // The course's stubs and reference are left out of similarity; merge runs in the course.
    let root = crate::workspace::root().ok();
    let extras = args
        .summaries
        .extras(root.as_deref())
        .or_fail(Error::Usage)?;
    let mut students: BTreeMap<String, (PathBuf, class::StudentFile)> = BTreeMap::new();
    for dir in &args.dirs {
        for (path, student) in class::read_students(dir).or_fail(Error::Usage)? {
            let name = student.class.student.clone();
            if let Some((first, _)) = students.get(&name) {
                return Err(Error::Usage(anyhow::anyhow!(
                    "student `{}` is in two shards: {} and {}; merge the outputs of one class's shards, each graded once",
                    crate::text::safe::line(&name),
                    first.display(),
                    path.display()
                )));
            }
            students.insert(name, (path, student));
        }
    }
    let target = args.out.join(class::STUDENTS_DIR);
    std::fs::create_dir_all(&target)
        .with_context(|| format!("cannot make {}", target.display()))
        .or_fail(Error::Io)?;
    for (path, _) in students.values() {
        let copy = target.join(path.file_name().unwrap_or_default());
        if std::fs::canonicalize(path).ok() != std::fs::canonicalize(&copy).ok() {
            std::fs::copy(path, &copy)
                .with_context(|| format!("cannot copy {} to {}", path.display(), copy.display()))
                .or_fail(Error::Io)?;
            // The lesson files kept beside the report, for similarity.
            let mut from = path.with_extension("").into_os_string();
            from.push(class::similarity::SOURCES_SUFFIX);
            let mut to = copy.with_extension("").into_os_string();
            to.push(class::similarity::SOURCES_SUFFIX);
            let (from, to) = (PathBuf::from(from), PathBuf::from(to));
            if from.is_dir() {
                if to.exists() {
                    std::fs::remove_dir_all(&to)
                        .with_context(|| format!("cannot empty {}", to.display()))
                        .or_fail(Error::Io)?;
                }
                crate::mirror::sync_dir(&from, &to).or_fail(Error::Io)?;
            }
        }
    }
    let files: Vec<class::StudentFile> = students.into_values().map(|(_, s)| s).collect();
    let wrote = class::write_summaries(&args.out, &files, None, &extras)?;
    println!(
        "Merged {} student(s) from {} folder(s); wrote {} and {}.",
        files.len(),
        args.dirs.len(),
        args.out.join(class::GRADEBOOK).display(),
        args.out.join(class::DASHBOARD).display()
    );
    println!("Also wrote: {}.", wrote.join(", "));
    Ok(exit::PASS)
}
