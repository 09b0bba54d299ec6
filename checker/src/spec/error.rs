//! Problems in spec files, each located by file, line, column and the offending snippet.
//!
//! [`Locator`] turns byte offsets of a file into lines and columns without ever slicing inside
//! a character, whatever the offsets are: the loader must not panic on any input.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// A problem in a spec file, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, 0 when the problem is the whole file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The line of the file it is on.
    pub snippet: String,
    /// The bytes of `snippet` the problem is about (at least one character when the line has
    /// any; clipped to the line when the problem spans several).
    pub highlight: Range<usize>,
}

impl SpecError {
    /// A problem with the whole file (it cannot be read, or it clashes with another file).
    pub fn whole_file(path: &Path, message: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            snippet: String::new(),
            highlight: 0..0,
        }
    }

    /// Renders the problem like a compiler error: the message, then the line with the
    /// offending part underlined.
    pub fn render(&self, renderer: &Renderer) -> String {
        let path = self.path.display().to_string();
        let title = Level::ERROR.primary_title(&self.message);
        let group = if self.line == 0 {
            Group::with_title(title).element(Origin::path(path.as_str()))
        } else if self.snippet.is_empty() {
            Group::with_title(title).element(
                Origin::path(path.as_str())
                    .line(self.line)
                    .char_column(self.column.saturating_sub(1)),
            )
        } else {
            Group::with_title(title).element(
                Snippet::source(self.snippet.as_str())
                    .line_start(self.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(self.highlight.clone())),
            )
        };
        renderer.render(&[group])
    }
}

/// The message and where it is, with the snippet; the caller says `error:` or not.
impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rendered = self.render(&Renderer::plain());
        f.write_str(rendered.strip_prefix("error: ").unwrap_or(&rendered))
    }
}

/// Why specs could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A directory is missing or unreadable.
    #[error("{0}")]
    Directory(String),
    /// Spec files have problems; all of them are listed.
    #[error("{} problem(s) in the specs", .0.len())]
    Invalid(Vec<SpecError>),
}

/// Locates byte ranges of one file's text and collects the problems found in it.
#[derive(Debug)]
pub struct Locator<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// The problems found so far, in the order found.
    pub errors: Vec<SpecError>,
}

impl<'a> Locator<'a> {
    /// A locator for `text`, the contents of `path`.
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        Self {
            path,
            text,
            errors: Vec::new(),
        }
    }

    /// Records a problem at the bytes `span` of the text (clamped to it).
    pub fn error_at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let error = self.locate(span, message.into());
        self.errors.push(error);
    }

    /// Records a problem with the whole file.
    pub fn error_whole(&mut self, message: impl Into<String>) {
        self.errors.push(SpecError::whole_file(self.path, message));
    }

    /// Builds the located problem for `span` without recording it.
    pub fn locate(&self, span: Range<usize>, message: String) -> SpecError {
        let start = floor_boundary(self.text, span.start);
        let end = floor_boundary(self.text, span.end.max(start));
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..start].chars().count() + 1;
        let snippet = self.text[line_start..]
            .split('\n')
            .next()
            .unwrap_or("")
            .trim_end_matches('\r');
        let from = (start - line_start).min(snippet.len());
        let mut to = (end - line_start).min(snippet.len());
        if to <= from {
            // Underline at least the character at the start, when there is one.
            to = snippet[from..]
                .chars()
                .next()
                .map_or(from, |c| from + c.len_utf8());
        }
        SpecError {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
            snippet: snippet.to_string(),
            highlight: from..to,
        }
    }
}

/// The largest char boundary of `text` at or below `offset`.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_inside_characters_are_located_without_panicking() {
        let text = "a = \"é\"\nb = 1\n";
        let locator = Locator::new(Path::new("x.toml"), text);
        for offset in 0..text.len() + 5 {
            let error = locator.locate(offset..offset + 3, "m".into());
            assert!(error.line >= 1);
            assert!(error.snippet.is_char_boundary(error.highlight.start));
            assert!(error.snippet.is_char_boundary(error.highlight.end));
        }
        let on_b = locator.locate(9..10, "m".into());
        assert_eq!((on_b.line, on_b.column), (2, 1));
        assert_eq!(on_b.snippet, "b = 1");
    }

    #[test]
    fn a_located_problem_renders_with_its_line_and_underline() {
        let text = "lesson = \"x\"\nordr = 1\n";
        let locator = Locator::new(Path::new("specs/x.toml"), text);
        let error = locator.locate(13..17, "unknown field `ordr`".into());
        let shown = error.to_string();
        assert!(shown.starts_with("unknown field `ordr`"), "{shown}");
        assert!(shown.contains("specs/x.toml:2:1"), "{shown}");
        assert!(shown.contains("2 | ordr = 1"), "{shown}");
        assert!(shown.contains("^^^^"), "{shown}");
    }
}
