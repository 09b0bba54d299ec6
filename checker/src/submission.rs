//! A student's submission in any layout: finds the course's lesson files in a folder as
//! students upload it (a whole repository, GitHub's "Download ZIP" with its
//! `asynclings-main/` folder, a zipped `src/`, loose files, nested folders), ignoring macOS's
//! `__MACOSX/` and `._*` entries and folders that are not the student's work (`solutions/`,
//! `target/`, ...). A browser's duplicate (`06_wait_n (1).rs`) counts as the lesson's file;
//! of several candidates the newest is chosen, and the choice is stated.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Folders never searched: not the student's lesson files, or not files at all.
const SKIPPED_DIRS: &[&str] = &[
    "__MACOSX",
    ".git",
    "target",
    "node_modules",
    "solutions",
    "corpus",
    "bench",
    "runner",
    "specs",
];

/// At most this many entries are looked at, and this deep: a hostile upload cannot stall.
const MAX_ENTRIES: usize = 20_000;
const MAX_DEPTH: usize = 16;
/// A lesson file larger than this is not a lesson file.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// One lesson file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The course's name for it (`06_wait_n.rs`).
    pub lesson_file: String,
    /// Where it is.
    pub path: PathBuf,
}

/// What a submission holds.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    /// The lesson files chosen, in course order.
    pub found: Vec<Found>,
    /// The course's lesson files not found.
    pub missing: Vec<String>,
    /// Every file received, relative to the submission (at most 20,000).
    pub received: Vec<String>,
    /// Why a file was chosen over others, or left out.
    pub notes: Vec<String>,
}

impl Collected {
    /// The whole story for a person: what was used, what was chosen over what, what is
    /// missing; and, when nothing was found, what was received and the layout expected.
    pub fn describe(&self, expected: &[String]) -> String {
        let mut out = String::new();
        if self.found.is_empty() {
            let _ = writeln!(
                out,
                "No lesson file was found in the submission, so nothing could be graded."
            );
            let _ = writeln!(
                out,
                "Expected: the lesson files, named as in the course ({}), either alone or in the course's folders (exercises/src/). A whole repository, GitHub's \"Download ZIP\" or a zipped src/ folder all work.",
                expected.join(", ")
            );
            let _ = writeln!(out, "Received {} file(s):", self.received.len());
            for file in self.received.iter().take(50) {
                let _ = writeln!(out, "  {file}");
            }
            if self.received.len() > 50 {
                let _ = writeln!(out, "  ... and {} more", self.received.len() - 50);
            }
            return out.trim_end().to_string();
        }
        let _ = writeln!(
            out,
            "Graded {} lesson file(s) from the submission.",
            self.found.len()
        );
        for note in &self.notes {
            let _ = writeln!(out, "{note}");
        }
        if !self.missing.is_empty() {
            let _ = writeln!(
                out,
                "Not in the submission (graded as the course's unchanged stubs): {}.",
                self.missing.join(", ")
            );
        }
        out.trim_end().to_string()
    }
}

/// `name` without a browser's duplicate mark: `06_wait_n (1).rs` and `06_wait_n(2).rs` are
/// `06_wait_n.rs`; `None` when it has none.
pub fn without_duplicate_mark(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".rs")?;
    let open = stem.rfind('(')?;
    let number = stem[open + 1..].strip_suffix(')')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}.rs", stem[..open].trim_end()))
}

struct Candidate {
    path: PathBuf,
    relative: String,
    modified: SystemTime,
    duplicate: bool,
    in_exercises: bool,
}

/// Finds the lesson files named `expected` (`06_wait_n.rs`, ...) in `submission`.
pub fn collect(submission: &Path, expected: &[String]) -> Collected {
    collect_all(&[submission.to_path_buf()], expected)
}

/// Finds the lesson files named `expected` in several folders (an upload, and the zip files
/// of it extracted); files of the second and later are named with their folder's name first.
pub fn collect_all(submissions: &[PathBuf], expected: &[String]) -> Collected {
    let mut collected = Collected::default();
    let mut candidates: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    let mut seen = 0;
    for (index, submission) in submissions.iter().enumerate() {
        let prefix = match (index, submission.file_name()) {
            (0, _) | (_, None) => String::new(),
            (_, Some(name)) => format!("{}/", name.to_string_lossy()),
        };
        if !walk(
            submission,
            &prefix,
            expected,
            &mut seen,
            &mut collected,
            &mut candidates,
        ) {
            break;
        }
    }
    finish(collected, candidates, expected)
}

/// Walks one folder; `false` when the limit of entries was reached.
fn walk(
    submission: &Path,
    prefix: &str,
    expected: &[String],
    seen: &mut usize,
    collected: &mut Collected,
    candidates: &mut BTreeMap<String, Vec<Candidate>>,
) -> bool {
    let mut stack = vec![(submission.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            *seen += 1;
            if *seen > MAX_ENTRIES {
                collected.notes.push(format!(
                    "The submission has more than {MAX_ENTRIES} entries: only the first were looked at."
                ));
                return false;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let relative = format!(
                "{prefix}{}",
                path.strip_prefix(submission)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/")
            );
            // Never follows links: a link could point anywhere on the grading machine.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < MAX_DEPTH && !SKIPPED_DIRS.contains(&name.as_str()) {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            collected.received.push(relative.clone());
            if name.starts_with("._") {
                continue;
            }
            let (lesson_file, duplicate) = match without_duplicate_mark(&name) {
                Some(base) => (base, true),
                None => (name.clone(), false),
            };
            if !expected.contains(&lesson_file) {
                continue;
            }
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            if meta.len() > MAX_FILE_BYTES {
                collected.notes.push(format!(
                    "{relative}: left out, it is larger than {MAX_FILE_BYTES} bytes."
                ));
                continue;
            }
            let in_exercises = relative.contains("exercises/src/");
            candidates.entry(lesson_file).or_default().push(Candidate {
                path,
                relative,
                modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                duplicate,
                in_exercises,
            });
        }
    }
    true
}

fn finish(
    mut collected: Collected,
    mut candidates: BTreeMap<String, Vec<Candidate>>,
    expected: &[String],
) -> Collected {
    collected.received.sort();
    for lesson_file in expected {
        let Some(mut list) = candidates.remove(lesson_file) else {
            collected.missing.push(lesson_file.clone());
            continue;
        };
        // The course's own folder first, then the newest, then the name without a duplicate
        // mark, then the path: the same upload always gives the same choice.
        list.sort_by(|a, b| {
            b.in_exercises
                .cmp(&a.in_exercises)
                .then(b.modified.cmp(&a.modified))
                .then(a.duplicate.cmp(&b.duplicate))
                .then(a.relative.cmp(&b.relative))
        });
        let chosen = list.remove(0);
        if !list.is_empty() {
            let others: Vec<&str> = list.iter().map(|c| c.relative.as_str()).collect();
            let why = if chosen.in_exercises && !list.iter().all(|c| c.in_exercises) {
                "it is in exercises/src/"
            } else if list.iter().all(|c| c.modified < chosen.modified) {
                "it is the newest"
            } else {
                "of files of the same age, it has the plainest name"
            };
            collected.notes.push(format!(
                "{lesson_file}: used {} ({why}); not used: {}.",
                chosen.relative,
                others.join(", ")
            ));
        } else if chosen.duplicate {
            collected.notes.push(format!(
                "{lesson_file}: used {} (a browser's copy of the file).",
                chosen.relative
            ));
        }
        collected.found.push(Found {
            lesson_file: lesson_file.clone(),
            path: chosen.path,
        });
    }
    collected
}

/// Copies the lesson files found into `src_dir` (the course's `exercises/src/`).
pub fn install(collected: &Collected, src_dir: &Path) -> anyhow::Result<()> {
    for found in &collected.found {
        let target = src_dir.join(&found.lesson_file);
        std::fs::copy(&found.path, &target).map_err(|e| {
            anyhow::anyhow!(
                "cannot copy {} to {}: {e}",
                found.path.display(),
                target.display()
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn expected() -> Vec<String> {
        ["01_say_hello.rs", "06_wait_n.rs"]
            .map(String::from)
            .to_vec()
    }

    fn write(root: &Path, path: &str, text: &str) -> PathBuf {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn age(path: &Path, seconds_ago: u64) {
        let time = SystemTime::now() - Duration::from_secs(seconds_ago);
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(time).unwrap();
    }

    #[test]
    fn duplicate_marks_are_recognised() {
        assert_eq!(
            without_duplicate_mark("06_wait_n (1).rs").as_deref(),
            Some("06_wait_n.rs")
        );
        assert_eq!(
            without_duplicate_mark("06_wait_n(12).rs").as_deref(),
            Some("06_wait_n.rs")
        );
        assert_eq!(without_duplicate_mark("06_wait_n.rs"), None);
        assert_eq!(without_duplicate_mark("06_wait_n (a).rs"), None);
        assert_eq!(without_duplicate_mark("06_wait_n (1).txt"), None);
    }

    #[test]
    fn a_download_zip_layout_with_macos_debris_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "asynclings-main/exercises/src/01_say_hello.rs", "a");
        write(
            root,
            "asynclings-main/solutions/src/06_wait_n.rs",
            "reference",
        );
        write(
            root,
            "__MACOSX/asynclings-main/exercises/src/._01_say_hello.rs",
            "x",
        );
        write(root, "asynclings-main/exercises/src/._06_wait_n.rs", "x");
        let collected = collect(root, &expected());
        assert_eq!(collected.found.len(), 1);
        assert!(
            collected.found[0]
                .path
                .ends_with("exercises/src/01_say_hello.rs")
        );
        assert_eq!(collected.missing, ["06_wait_n.rs"]);
        assert!(collected.describe(&expected()).contains("06_wait_n.rs"));
    }

    #[test]
    fn the_newest_duplicate_is_chosen_and_the_choice_stated() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let old = write(root, "06_wait_n.rs", "old");
        let new = write(root, "06_wait_n (1).rs", "new");
        age(&old, 100);
        age(&new, 10);
        let collected = collect(root, &expected());
        assert_eq!(collected.found[0].path, new);
        let text = collected.describe(&expected());
        assert!(
            text.contains("used 06_wait_n (1).rs (it is the newest)"),
            "{text}"
        );
        assert!(text.contains("not used: 06_wait_n.rs"), "{text}");
        // The other way round, the plain name wins.
        age(&old, 1);
        let collected = collect(root, &expected());
        assert_eq!(collected.found[0].path, old);
    }

    #[test]
    fn nothing_found_lists_what_was_received_and_what_was_expected() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "homework/main.py", "print()");
        write(dir.path(), "notes.txt", "");
        let collected = collect(dir.path(), &expected());
        assert!(collected.found.is_empty());
        let text = collected.describe(&expected());
        assert!(text.contains("No lesson file was found"), "{text}");
        assert!(text.contains("homework/main.py"), "{text}");
        assert!(text.contains("exercises/src/"), "{text}");
    }
}
