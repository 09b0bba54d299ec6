//! The course's specs as one grading run reads them: from one or more spec directories
//! (the public `specs/`, an instructor's private ones), merged by lesson and numbered in
//! course order; and a lesson picked by id or number.

use std::path::{Path, PathBuf};

use crate::exit::{Error, ResultExt};

use super::{Lesson, LoadError};

/// The spec directories: those given, or `specs/` of the workspace.
pub fn spec_dirs(root: &Path, given: &[PathBuf]) -> Vec<PathBuf> {
    if given.is_empty() {
        vec![root.join("specs")]
    } else {
        given.to_vec()
    }
}

/// Loads the specs of every directory, printing every problem to stderr.
///
/// A lesson specified again in a later directory (an instructor's private specs beside the
/// public ones) gets that spec's cases added to it; its title, file and hint stay the first's.
/// A problem in a spec or a spec directory is an [`Error::Spec`].
pub fn load_specs(dirs: &[PathBuf]) -> Result<Vec<Lesson>, Error> {
    // A missing or empty directory first, with a note on how a relative path was read.
    for dir in dirs {
        super::spec_files(std::slice::from_ref(dir))
            .map_err(|error| anyhow::anyhow!("{error}{}", relative_note(dir)))
            .or_fail(Error::Spec)?;
    }
    // Then every spec at once, as `checker validate` reads them: a lesson spread over several
    // directories must not repeat a case name.
    let loaded = match super::load_dirs(dirs) {
        Ok(loaded) => loaded,
        Err(LoadError::Directory(message)) => {
            return Err(anyhow::anyhow!("{message}")).or_fail(Error::Spec);
        }
        Err(LoadError::Invalid(errors)) => {
            for error in &errors {
                eprintln!("error: {error}\n");
            }
            return Err(anyhow::anyhow!(
                "{} problem(s) in the specs; nothing was graded",
                errors.len()
            ))
            .or_fail(Error::Spec);
        }
    };
    let mut lessons: Vec<Lesson> = Vec::new();
    merge(&mut lessons, loaded);
    for (index, lesson) in lessons.iter_mut().enumerate() {
        lesson.number = index + 1;
    }
    Ok(lessons)
}

/// Adds `loaded` to `lessons`: new lessons at the end, cases of known ones to those.
fn merge(lessons: &mut Vec<Lesson>, loaded: Vec<Lesson>) {
    for lesson in loaded {
        match lessons.iter_mut().find(|known| known.id == lesson.id) {
            Some(known) => known.cases.extend(lesson.cases),
            None => lessons.push(lesson),
        }
    }
}

/// Where a relative spec directory was looked for, for an error about it.
fn relative_note(dir: &Path) -> String {
    match std::path::absolute(dir) {
        Ok(absolute) if dir.is_relative() => format!(
            " (a relative path is read from the current directory: that is {})",
            absolute.display()
        ),
        _ => String::new(),
    }
}

/// Finds a lesson by id or number; none is an [`Error::Usage`] naming the lessons.
pub fn select<'a>(lessons: &'a [Lesson], wanted: &str) -> Result<&'a Lesson, Error> {
    lessons
        .iter()
        .find(|l| {
            l.id == wanted || l.number.to_string() == wanted || format!("{:02}", l.number) == wanted
        })
        .ok_or_else(|| {
            let known: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
            Error::Usage(anyhow::anyhow!(
                "no lesson `{wanted}`; the lessons are: {}",
                known.join(", ")
            ))
        })
}
