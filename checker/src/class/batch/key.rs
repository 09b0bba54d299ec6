//! Content keys: a submission whose key (lesson files, course, checker, options) is unchanged
//! since its report was written is not graded again.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::Options;
use crate::class::Fnv;
use crate::submission::Collected;

/// The part of every content key that is the course's: the checker (version, and its
/// binary's size and time), the specs, the course's stubs and runner, and the options that
/// change a grade.
pub(super) fn course_key(
    root: &Path,
    spec_dirs: &[PathBuf],
    options: &Options,
) -> anyhow::Result<Fnv> {
    let mut key = Fnv::default();
    key.field(env!("CARGO_PKG_VERSION").as_bytes());
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        key.field(&meta.len().to_le_bytes());
        let modified = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        key.field(&modified.as_nanos().to_le_bytes());
    }
    key.field(format!("{:?} {:?}", options.sandbox, options.timeout).as_bytes());
    let specs = crate::spec::spec_files(spec_dirs).map_err(|e| anyhow::anyhow!("{e}"))?;
    for file in specs {
        key.field(file.to_string_lossy().as_bytes());
        key.field(
            &std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?,
        );
    }
    for dir in ["exercises", "runner"] {
        hash_tree(&root.join(dir), &mut key)?;
    }
    Ok(key)
}

/// Adds every file under `dir` (names and bytes, in name order, without `target/`).
fn hash_tree(dir: &Path, key: &mut Fnv) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let kind = entry.file_type()?;
        key.field(entry.file_name().as_encoded_bytes());
        if kind.is_dir() && entry.file_name() != "target" {
            hash_tree(&entry.path(), key)?;
        } else if kind.is_file() {
            key.field(&std::fs::read(entry.path())?);
        }
    }
    Ok(())
}

/// A submission's content key: the course's, then each lesson file used, name and bytes.
pub(super) fn submission_key(course: Fnv, collected: &Collected) -> String {
    let mut key = course;
    for found in &collected.found {
        key.field(found.lesson_file.as_bytes());
        key.field(&std::fs::read(&found.path).unwrap_or_default());
    }
    format!("{:016x}", key.finish())
}

/// Whether the report at `path` can be kept: written with `key`, and not a failed run.
pub(super) fn reusable(path: &Path, key: &str) -> bool {
    crate::class::read_student(path).is_ok_and(|s| s.class.key == key && !s.class.retry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission;

    #[test]
    fn the_key_changes_with_a_lesson_file_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("06_wait_n.rs");
        std::fs::write(&file, "one").unwrap();
        let expected = ["06_wait_n.rs".to_string()];
        let course = *Fnv::default().field(b"course");
        let key = |c: Fnv| submission_key(c, &submission::collect(dir.path(), &expected));
        let first = key(course);
        assert_eq!(key(course), first);
        std::fs::write(&file, "two").unwrap();
        assert_ne!(key(course), first);
        assert_ne!(key(*Fnv::default().field(b"other course")), key(course));
    }
}
