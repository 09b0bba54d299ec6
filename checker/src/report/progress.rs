//! What the student has done, remembered across runs (`target/asynclings-progress.json`, so it
//! never reaches their repository), and what a run adds to the report because of it: the
//! lessons done since the last run, each with its reference solution where the course ships
//! `solutions/` (a student repository made with `checker template` has none, so shows none).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::results::{LessonResult, LessonStatus};

/// The progress file, under the workspace root.
pub const FILE: &str = "target/asynclings-progress.json";

/// The lessons done when last graded.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Ids of the lessons that were done the last time they were graded.
    pub done: BTreeSet<String>,
}

impl Progress {
    /// The progress remembered in `root`; none when there is no file or it cannot be read
    /// (a lost progress file only means no lesson is "new" this time).
    pub fn load(root: &Path) -> Progress {
        std::fs::read_to_string(root.join(FILE))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// The progress after `results`: each lesson graded is done or not as it is now; the
    /// others as they were.
    pub fn after(&self, results: &[LessonResult]) -> Progress {
        let mut done = self.done.clone();
        for lesson in results {
            if lesson.status() == LessonStatus::Done {
                done.insert(lesson.id.clone());
            } else {
                done.remove(&lesson.id);
            }
        }
        Progress { done }
    }

    /// Writes it in `root` (best effort: the report matters more than the memory of it).
    pub fn save(&self, root: &Path) {
        let path = root.join(FILE);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(text) = serde_json::to_string_pretty(self) {
            let _ = std::fs::write(path, text);
        }
    }
}

/// What the report adds for the lessons of `results` done now and not before: where their
/// reference solutions are, when `root` has them. `None` when there is nothing to say.
pub fn newly_done_note(
    previous: &Progress,
    results: &[LessonResult],
    root: &Path,
) -> Option<String> {
    let lines: Vec<String> = results
        .iter()
        .filter(|l| l.status() == LessonStatus::Done && !previous.done.contains(&l.id))
        .filter_map(|lesson| {
            let file = Path::new(&lesson.file).file_name()?;
            let solution: PathBuf = Path::new("solutions").join("src").join(file);
            root.join(&solution).is_file().then(|| {
                format!(
                    "Lesson {} ({}) done. Compare with the reference solution: {}",
                    lesson.number,
                    lesson.id,
                    solution.display().to_string().replace('\\', "/")
                )
            })
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{CaseResult, Status};

    fn lesson(id: &str, status: Status) -> LessonResult {
        let mut lesson =
            LessonResult::of_cases(vec![CaseResult::new("c", "f", status, 1.0, false)]);
        lesson.id = id.into();
        lesson.file = format!("exercises/src/01_{id}.rs");
        lesson
    }

    #[test]
    fn a_lesson_is_new_once_and_its_solution_is_named_only_where_the_course_has_it() {
        let root = tempfile::tempdir().unwrap();
        let results = [lesson("a", Status::Pass), lesson("b", Status::Fail)];
        let none = Progress::default();
        assert_eq!(newly_done_note(&none, &results, root.path()), None);
        std::fs::create_dir_all(root.path().join("solutions/src")).unwrap();
        std::fs::write(root.path().join("solutions/src/01_a.rs"), "").unwrap();
        let note = newly_done_note(&none, &results, root.path()).unwrap();
        assert!(note.contains("solutions/src/01_a.rs"), "{note}");
        let now = none.after(&results);
        now.save(root.path());
        let loaded = Progress::load(root.path());
        assert_eq!(loaded.done, BTreeSet::from(["a".to_string()]));
        assert_eq!(newly_done_note(&loaded, &results, root.path()), None);
        // Broken again, then done again: new again.
        let later = loaded.after(&[lesson("a", Status::Fail)]);
        assert!(newly_done_note(&later, &results, root.path()).is_some());
    }
}
