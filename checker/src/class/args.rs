//! The options of `checker grade-many` and `checker merge` that choose what the summaries
//! include ([`super::Extras`]): the roster and assignment of the LMS files, and similarity.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{Extras, lms, roster::Roster, similarity};

/// Options shared by `grade-many` and `merge`.
#[derive(Debug, Clone, Default, Args)]
pub struct SummaryArgs {
    /// The roster: a CSV file with a `folder` column (the submission folder) and the
    /// students' LMS identifiers (`email`, `sis_id`, `sis_login`, `canvas_id`, and `name`,
    /// `section`); with it, `canvas.csv` and `moodle.csv` are written (docs/class.md).
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,

    /// The assignment the LMS files' grades go to: its name in Canvas or Moodle.
    #[arg(long, value_name = "NAME", default_value = "asynclings")]
    pub assignment: String,

    /// The assignment's id in Canvas, when it exists there (the number in its address):
    /// the column is then `NAME (ID)`; without it, Canvas makes a new assignment.
    #[arg(long, value_name = "ID")]
    pub canvas_assignment_id: Option<String>,

    /// Find pairs of students whose lesson files are alike beyond what the lessons force
    /// (`similarity.csv`, and on the dashboard).
    #[arg(long)]
    pub similarity: bool,
}

impl SummaryArgs {
    /// The extras these options ask for; `root` is the course (its stubs and reference are
    /// left out of similarity).
    ///
    /// # Errors
    /// The roster cannot be read or is not valid, or the Canvas id is not a number.
    pub fn extras(&self, root: Option<&Path>) -> anyhow::Result<Extras> {
        if let Some(id) = &self.canvas_assignment_id {
            anyhow::ensure!(
                !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()),
                "--canvas-assignment-id takes the number in the assignment's address (…/assignments/1234), not `{}`",
                crate::text::safe::line(id)
            );
        }
        anyhow::ensure!(
            !self.assignment.trim().is_empty(),
            "--assignment takes the assignment's name in the LMS"
        );
        Ok(Extras {
            roster: self.roster.as_deref().map(Roster::read).transpose()?,
            assignment: Some(lms::Assignment {
                name: self.assignment.clone(),
                canvas_id: self.canvas_assignment_id.clone(),
            }),
            similarity: self
                .similarity
                .then(|| root.map(similarity::course_code).unwrap_or_default()),
        })
    }
}
