//! `checker merge DIR... --out DIR`: combines the outputs of `grade-many --shard K/N` runs
//! into one `students/`, `gradebook.csv` and `dashboard.html`, as one run would have written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use crate::class;
use crate::exit;

/// Options of `checker merge`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// Output folders of `checker grade-many` (shards of one class).
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Where the combined reports, gradebook and dashboard go.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Merges; a student found in two of the folders is an error naming both.
pub fn run(args: &MergeArgs) -> anyhow::Result<u8> {
    let mut students: BTreeMap<String, (PathBuf, class::StudentFile)> = BTreeMap::new();
    for dir in &args.dirs {
        for (path, student) in class::read_students(dir)? {
            let name = student.class.student.clone();
            if let Some((first, _)) = students.get(&name) {
                anyhow::bail!(
                    "student `{}` is in two shards: {} and {}; merge the outputs of one class's shards, each graded once",
                    crate::report::safe::line(&name),
                    first.display(),
                    path.display()
                );
            }
            students.insert(name, (path, student));
        }
    }
    let target = args.out.join(class::STUDENTS_DIR);
    std::fs::create_dir_all(&target)
        .with_context(|| format!("cannot make {}", target.display()))?;
    for (path, _) in students.values() {
        let copy = target.join(path.file_name().unwrap_or_default());
        if std::fs::canonicalize(path).ok() != std::fs::canonicalize(&copy).ok() {
            std::fs::copy(path, &copy)
                .with_context(|| format!("cannot copy {} to {}", path.display(), copy.display()))?;
        }
    }
    let files: Vec<class::StudentFile> = students.into_values().map(|(_, s)| s).collect();
    class::write_summaries(&args.out, &files, None)?;
    println!(
        "Merged {} student(s) from {} folder(s); wrote {} and {}.",
        files.len(),
        args.dirs.len(),
        args.out.join(class::GRADEBOOK).display(),
        args.out.join(class::DASHBOARD).display()
    );
    Ok(exit::PASS)
}
