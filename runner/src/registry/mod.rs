//! The course's lesson registry, `course.toml` at the workspace root: every lesson, its file,
//! and the functions its file must define, with their signatures, in course order.
//!
//! It is the one place a lesson is declared. The runner's build script turns it into the
//! binding macros ([`Registry::macros`]: `bind_lesson!`, `course_bindings!`, `stub!`); the
//! checker reads it to build the stubs of lessons that do not compile, to name a lesson's
//! expected signatures in its reports, and in `checker new` and `checker verify`.
//!
//! This module is compiled twice: into the runner, and into the runner's build script (with
//! `#[path]` on this `mod.rs`, so that its children are found beside it), so it uses nothing
//! but `std` and `serde`. [`signature`] parses the functions' signatures; `macros` writes the
//! binding macros.

mod macros;
pub mod signature;

use serde::Deserialize;

use signature::{Signature, SignatureError, is_identifier};

/// The registry's file name, at the workspace root.
pub const FILE_NAME: &str = "course.toml";

/// The whole registry, as written in [`FILE_NAME`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// Paths the signatures' type names come from (`std::time::Duration`), `use`d in stubs.
    #[serde(default)]
    pub prelude: Vec<String>,
    /// The lessons, in course order.
    #[serde(rename = "lesson", default)]
    pub lessons: Vec<LessonEntry>,
}

/// One lesson of the registry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonEntry {
    /// The lesson's id: its module's name and its spec's `lesson`.
    pub id: String,
    /// Its file's name in an implementation's `src/` (`06_wait_n.rs`).
    pub file: String,
    /// The signatures of the functions the file must define, as written there, without a
    /// body (`pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64>`).
    pub functions: Vec<String>,
}

/// What is wrong with the registry: which lesson, and what. Shown as the registry's readers
/// are told (`lesson `wait_n` declares no function`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryError {
    /// A lesson id that is not a Rust name.
    NotAName(String),
    /// A lesson declared a second time.
    DeclaredTwice(String),
    /// A lesson whose file is not a file name ending in `.rs`: (lesson, file).
    BadFile(String, String),
    /// A lesson without functions.
    NoFunction(String),
    /// A signature of a lesson that cannot be parsed or driven.
    Signature {
        /// The lesson's id.
        lesson: String,
        /// The signature as written.
        text: String,
        /// What is wrong with it.
        problem: SignatureError,
    },
}

impl std::fmt::Display for RegistryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAName(id) => write!(f, "lesson id `{id}` is not a Rust name"),
            Self::DeclaredTwice(id) => write!(f, "lesson `{id}` is declared twice"),
            Self::BadFile(id, file) => write!(
                f,
                "lesson `{id}`: file `{file}` must be a file name ending in .rs"
            ),
            Self::NoFunction(id) => write!(f, "lesson `{id}` declares no function"),
            Self::Signature {
                lesson,
                text,
                problem,
            } => write!(f, "lesson `{lesson}`: `{text}`: {problem}"),
        }
    }
}

impl std::error::Error for RegistryError {}

impl Registry {
    /// The lesson with id `id`.
    pub fn lesson(&self, id: &str) -> Option<&LessonEntry> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// Checks the whole registry: ids are Rust names, each once, files end in `.rs`, every
    /// signature parses and can be driven. The error names the lesson and what is wrong.
    pub fn check(&self) -> Result<(), RegistryError> {
        let mut seen = Vec::new();
        for lesson in &self.lessons {
            if !is_identifier(&lesson.id) {
                return Err(RegistryError::NotAName(lesson.id.clone()));
            }
            if seen.contains(&&lesson.id) {
                return Err(RegistryError::DeclaredTwice(lesson.id.clone()));
            }
            seen.push(&lesson.id);
            if !lesson.file.ends_with(".rs") || lesson.file.contains(['/', '\\']) {
                return Err(RegistryError::BadFile(
                    lesson.id.clone(),
                    lesson.file.clone(),
                ));
            }
            if lesson.functions.is_empty() {
                return Err(RegistryError::NoFunction(lesson.id.clone()));
            }
            lesson.signatures()?;
        }
        Ok(())
    }
}

impl LessonEntry {
    /// Its functions' signatures, parsed; the error names the lesson and the signature.
    pub fn signatures(&self) -> Result<Vec<Signature>, RegistryError> {
        self.functions
            .iter()
            .map(|text| {
                let signature =
                    Signature::parse(text).map_err(|problem| self.error(text, problem))?;
                signature
                    .kind()
                    .map_err(|problem| self.error(text, problem))?;
                Ok(signature)
            })
            .collect()
    }

    /// `problem` in the signature `text` of this lesson.
    fn error(&self, text: &str, problem: SignatureError) -> RegistryError {
        RegistryError::Signature {
            lesson: self.id.clone(),
            text: text.to_string(),
            problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registry_with_a_repeated_lesson_is_refused() {
        let lesson = LessonEntry {
            id: "a".into(),
            file: "01_a.rs".into(),
            functions: vec!["pub async fn a()".into()],
        };
        let registry = Registry {
            prelude: Vec::new(),
            lessons: vec![lesson.clone(), lesson],
        };
        let error = registry.check().unwrap_err();
        assert_eq!(error, RegistryError::DeclaredTwice("a".into()));
        assert_eq!(error.to_string(), "lesson `a` is declared twice");
    }

    #[test]
    fn a_signature_problem_names_the_lesson_and_the_signature() {
        let lesson = LessonEntry {
            id: "wait_n".into(),
            file: "06_wait_n.rs".into(),
            functions: vec!["pub fn wait_n() -> u8".into()],
        };
        assert_eq!(
            lesson.signatures().unwrap_err().to_string(),
            "lesson `wait_n`: `pub fn wait_n() -> u8`: a function that is not `async` must return `JoinHandle<T>` (a task) or `impl Stream<Item = T>` (a stream)"
        );
    }
}
