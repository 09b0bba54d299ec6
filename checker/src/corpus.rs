//! The corpus of wrong implementations (`corpus/src/KIND/*.rs`) as its file headers describe
//! it: read by the corpus test, the other CLI tests and `checker bench`, from one parser.
//!
//! ```text
//! //! Mistake: what is wrong, in a sentence.
//! //! Lesson: the lesson it replaces (or several: `a, b, c`)
//! //! Headline: a phrase the lesson's headline must contain
//! //! Headline of LESSON: the same for another lesson it replaces
//! //! Not: a phrase the headline must not contain (a false cause)
//! //! Expect: a phrase the verdict must contain (hostile entries)
//! ```

use std::path::{Path, PathBuf};

use anyhow::Context;

/// One wrong implementation of the corpus, as its header describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The variant's name: its file name without `.rs`.
    pub variant: String,
    /// The file.
    pub file: PathBuf,
    /// What is wrong, in a sentence (`Mistake:`).
    pub mistake: String,
    /// The lesson it replaces (the first, when it replaces several).
    pub lesson: String,
    /// Every lesson it replaces: `Lesson: a, b, c`.
    pub lessons: Vec<String>,
    /// A phrase the checker's verdict must contain (`Expect:`; the headline when absent).
    pub expect: String,
    /// A phrase the headline of its lesson must contain: the first diagnosis of the lesson's
    /// first failing case (`Headline:`).
    pub headline: Option<String>,
    /// Other lessons it makes fail, with a phrase each one's headline must contain
    /// (`Headline of LESSON:`).
    pub headline_of: Vec<(String, String)>,
    /// Phrases the headline must not contain: false causes seen before (`Not:`).
    pub not: Vec<String>,
}

/// Every entry of `corpus/src/KIND/` under the workspace `root`, in file-name order.
///
/// # Errors
/// The folder or a file cannot be read, or a header lacks `Mistake:`, `Lesson:`, or both
/// `Headline:` and `Expect:` (each error names the file).
pub fn entries(root: &Path, kind: &str) -> anyhow::Result<Vec<Entry>> {
    let dir = root.join("corpus/src").join(kind);
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
    {
        let path = entry
            .with_context(|| format!("cannot read {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files.iter().map(|path| entry(path)).collect()
}

/// The entry in the file `path`.
///
/// # Errors
/// As [`entries`].
pub fn entry(path: &Path) -> anyhow::Result<Entry> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(path, &text)
}

/// The entry whose file `path` holds `text`.
fn parse(path: &Path, text: &str) -> anyhow::Result<Entry> {
    let all = |name: &str| -> Vec<String> {
        let prefix = format!("//! {name}: ");
        text.lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .map(|v| v.trim().to_string())
            .collect()
    };
    let one = |name: &str| all(name).into_iter().next();
    let need = |name: &str| {
        one(name).ok_or_else(|| anyhow::anyhow!("{} has no `//! {name}:` line", path.display()))
    };
    let lessons: Vec<String> = need("Lesson")?
        .split(',')
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let lesson = lessons
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{}: `//! Lesson:` names no lesson", path.display()))?;
    let headline = one("Headline");
    let headline_of = text
        .lines()
        .filter_map(|l| l.strip_prefix("//! Headline of "))
        .filter_map(|rest| rest.split_once(": "))
        .map(|(lesson, phrase)| (lesson.trim().to_string(), phrase.trim().to_string()))
        .collect();
    let expect = one("Expect").or_else(|| headline.clone()).ok_or_else(|| {
        anyhow::anyhow!(
            "{} has neither `//! Headline:` nor `//! Expect:`",
            path.display()
        )
    })?;
    Ok(Entry {
        variant: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        file: path.to_path_buf(),
        mistake: need("Mistake")?,
        lesson,
        lessons,
        expect,
        headline,
        headline_of,
        not: all("Not"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_gives_every_field_and_expect_falls_back_to_the_headline() {
        let text = "//! Mistake: waits one after another.\n//! Lesson: wait_n, task_wait_n\n//! Headline: ran one after another\n//! Headline of task_wait_n: one after another\n//! Not: blocked\n";
        let entry = parse(Path::new("corpus/src/mistakes/seq.rs"), text).unwrap();
        assert_eq!(entry.variant, "seq");
        assert_eq!(entry.lessons, ["wait_n", "task_wait_n"]);
        assert_eq!(entry.lesson, "wait_n");
        assert_eq!(entry.expect, "ran one after another");
        assert_eq!(
            entry.headline_of,
            [("task_wait_n".to_string(), "one after another".to_string())]
        );
        assert_eq!(entry.not, ["blocked"]);
    }

    #[test]
    fn a_header_without_a_lesson_or_a_phrase_is_an_error_naming_the_file() {
        let no_lesson = parse(Path::new("x/a.rs"), "//! Mistake: m\n//! Headline: h\n");
        assert!(
            no_lesson
                .unwrap_err()
                .to_string()
                .contains("x/a.rs has no `//! Lesson:`")
        );
        let no_phrase = parse(Path::new("x/b.rs"), "//! Mistake: m\n//! Lesson: l\n");
        assert!(no_phrase.unwrap_err().to_string().contains("neither"));
    }

    #[test]
    fn every_shipped_entry_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        for kind in ["mistakes", "hostile"] {
            let entries = entries(root, kind).unwrap();
            assert!(!entries.is_empty(), "no {kind}");
        }
    }
}
