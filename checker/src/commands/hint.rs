//! `checker hint LESSON`: the lesson's hint, and where its file is.

use std::path::PathBuf;

use crate::session::{self, EXIT_PASS};

/// Prints the hint of `lesson`.
pub fn run(lesson: &str, specs: &[PathBuf]) -> anyhow::Result<u8> {
    let root = session::root()?;
    let lessons = session::load_specs(&session::spec_dirs(&root, specs))?;
    let lesson = session::select(&lessons, lesson)?;
    session::write_stdout(&format!(
        "Lesson {}, {}: {}\nfile: exercises/src/{}\n\nHint: {}\n",
        lesson.number,
        lesson.id,
        lesson.title,
        lesson.file,
        lesson.hint.trim()
    ))?;
    Ok(EXIT_PASS)
}
