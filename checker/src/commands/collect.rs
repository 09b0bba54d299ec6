//! `checker collect SUBMISSION...`: finds a student's lesson files in whatever was uploaded
//! (`crate::submission`), copies them over the course's stubs, and says what it used. The
//! Gradescope autograder runs it before grading (`docs/ci/gradescope/run_autograder`).

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use crate::exit::{Error, ResultExt};

/// Options of `checker collect`.
#[derive(Debug, Clone, Args)]
pub struct CollectArgs {
    /// The uploaded folder, and any more (zip files of it, extracted).
    #[arg(required = true, value_name = "SUBMISSION")]
    pub submissions: Vec<PathBuf>,

    /// Where the lesson files go (default: `exercises/src/` of the course).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,

    /// Spec directory (default: `specs/` of the workspace); may be given several times.
    #[arg(long = "specs", value_name = "DIR")]
    pub specs: Vec<PathBuf>,

    /// Write what was used, chosen and missing to this file (also printed).
    #[arg(long, value_name = "FILE")]
    pub notes: Option<PathBuf>,

    /// When no lesson file is found, write Gradescope's results.json here: 0 points, and an
    /// `output` listing what was received and the layout expected.
    #[arg(long, value_name = "FILE")]
    pub gradescope_empty: Option<PathBuf>,
}

/// Exit status when no lesson file was found.
pub const EXIT_NOTHING_FOUND: u8 = 1;

/// Collects; returns 0 when some lesson file was found, 1 when none was.
pub fn run(args: &CollectArgs) -> Result<u8, crate::exit::Error> {
    let root = crate::workspace::root()?;
    let lessons = crate::spec::load_specs(&crate::spec::spec_dirs(&root, &args.specs))?;
    let mut expected: Vec<String> = lessons.iter().map(|l| l.file.clone()).collect();
    expected.dedup();
    let collected = crate::submission::collect_all(&args.submissions, &expected);
    let text = collected.describe(&expected);
    println!("{text}");
    if let Some(path) = &args.notes {
        std::fs::write(path, format!("{text}\n"))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
            .or_fail(Error::Io)?;
    }
    if collected.found.is_empty() {
        if let Some(path) = &args.gradescope_empty {
            let max_score =
                crate::points::sum(lessons.iter().flat_map(|l| &l.cases).map(|c| c.points));
            let results = json!({
                "score": 0.0,
                "output": text,
                "extra_data": { "max_score": max_score },
                "visibility": "visible",
                "tests": [],
            });
            let mut body = serde_json::to_string_pretty(&results).or_fail(Error::Io)?;
            body.push('\n');
            std::fs::write(path, body)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
                .or_fail(Error::Io)?;
        }
        return Ok(EXIT_NOTHING_FOUND);
    }
    let into = args
        .into
        .clone()
        .unwrap_or_else(|| root.join("exercises").join("src"));
    crate::submission::install(&collected, &into).or_fail(Error::Io)?;
    Ok(0)
}
