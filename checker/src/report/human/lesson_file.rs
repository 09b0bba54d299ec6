//! What the report reads from a lesson's own file: the summary of its instructions, and the
//! line to send the student to.

use std::path::{Path, PathBuf};

use crate::workspace;

/// Where a lesson's file is: a path as results show it (relative to the workspace root, or
/// absolute), made usable from the current directory.
pub fn resolve(shown: &str) -> PathBuf {
    let path = Path::new(shown);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    workspace::find_root().map_or_else(|| path.to_path_buf(), |root| root.join(path))
}

/// Reads a lesson's file; `None` when it cannot be read (the report goes on without it).
pub fn read(shown: &str) -> Option<String> {
    std::fs::read_to_string(resolve(shown)).ok()
}

/// The summary of a lesson's instructions: from the file graded when it is a lesson file,
/// else (a reference solution, a corpus mistake) from the exercises' file of lesson `id`.
pub fn instructions(shown: &str, id: &str) -> Option<String> {
    read(shown).as_deref().and_then(summary).or_else(|| {
        let dir = workspace::find_root()?.join("exercises").join("src");
        let file = std::fs::read_dir(dir).ok()?.flatten().find(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| is_file_of_lesson(name, id))
        })?;
        summary(&std::fs::read_to_string(file.path()).ok()?)
    })
}

/// Whether `name` is lesson `id`'s file: `NN_id.rs`, exactly (`09_task_wait_n.rs` is not
/// `wait_n`'s file, though it ends like it).
fn is_file_of_lesson(name: &str, id: &str) -> bool {
    name.split_once('_').is_some_and(|(number, rest)| {
        !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && rest.strip_suffix(".rs") == Some(id)
    })
}

/// The first paragraph of a lesson file's `//!` documentation, as one line. A lesson file's
/// documentation opens with a `# ` heading; other files have no summary.
pub fn summary(source: &str) -> Option<String> {
    let mut docs = source
        .lines()
        .map_while(|line| line.trim_start().strip_prefix("//!"));
    if !docs.next()?.trim().starts_with("# ") {
        return None;
    }
    let mut paragraph: Vec<&str> = Vec::new();
    for doc in docs {
        let text = doc.trim();
        if text.is_empty() || text.starts_with('#') {
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        paragraph.push(text);
    }
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

/// The 1-based line of `fn function` in `source`; with `todo`, the line of the first `todo!()`
/// in its body instead, when it has one.
pub fn line_of(source: &str, function: &str, todo: bool) -> Option<usize> {
    let lines: Vec<&str> = source.lines().collect();
    let start = lines.iter().position(|line| defines(line, function))?;
    if todo {
        let body_end = lines[start + 1..]
            .iter()
            .position(|line| line.contains("fn "))
            .map_or(lines.len(), |i| start + 1 + i);
        if let Some(i) = lines[start..body_end]
            .iter()
            .position(|line| line.contains("todo!(") && !line.trim_start().starts_with("//"))
        {
            return Some(start + i + 1);
        }
    }
    Some(start + 1)
}

/// Whether `line` (code, not a comment) declares `fn function`.
fn defines(line: &str, function: &str) -> bool {
    let code = line.trim_start();
    if code.starts_with("//") {
        return false;
    }
    let needle = format!("fn {function}");
    code.match_indices(&needle).any(|(at, _)| {
        let before_ok = at == 0 || code.as_bytes()[at - 1] == b' ';
        let after = code[at + needle.len()..].chars().next();
        before_ok && matches!(after, Some('(' | '<' | ' '))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LESSON: &str = "//! # Lesson 9: title\n//!\n//! An `async fn` can pause\n//! and carry on.\n//!\n//! Second paragraph.\n\nuse x;\n\n/// Docs of `fn wait_n(n)`.\npub async fn wait_n_helper() {}\n\npub async fn wait_n(n: usize) -> Vec<f64> {\n    // todo!() in a comment\n    let x = 1;\n    todo!()\n}\n\nfn other() { todo!() }\n";

    #[test]
    fn the_summary_is_the_first_paragraph_after_the_heading() {
        assert_eq!(
            summary(LESSON).as_deref(),
            Some("An `async fn` can pause and carry on.")
        );
        assert_eq!(summary("fn main() {}"), None);
        assert_eq!(
            summary("//! Mistake: not a lesson.\n//!\n//! Text.\n"),
            None
        );
        assert_eq!(summary("//! # Only a heading\n"), None);
    }

    #[test]
    fn a_lesson_file_is_found_by_its_whole_name() {
        assert!(is_file_of_lesson("06_wait_n.rs", "wait_n"));
        assert!(!is_file_of_lesson("09_task_wait_n.rs", "wait_n"));
        assert!(is_file_of_lesson("09_task_wait_n.rs", "task_wait_n"));
        assert!(!is_file_of_lesson("08_task_wait_random.rs", "wait_random"));
        assert!(!is_file_of_lesson("wait_n.rs", "wait_n"));
        assert!(!is_file_of_lesson("x_wait_n.rs", "wait_n"));
        assert!(!is_file_of_lesson("06_wait_n.rs.bak", "wait_n"));
    }

    #[test]
    fn the_line_is_the_functions_todo_or_its_signature() {
        assert_eq!(line_of(LESSON, "wait_n", true), Some(16));
        assert_eq!(line_of(LESSON, "wait_n", false), Some(13));
        assert_eq!(line_of(LESSON, "wait_n_helper", true), Some(11));
        assert_eq!(line_of(LESSON, "missing", true), None);
    }
}
