//! Whether a lesson file defines what the checker calls, as the registry declares it.
//!
//! Used only when the build fails with errors outside every lesson file: those come from the
//! bindings the checker generates, which call each lesson's functions by name and signature,
//! and rustc's text about them points at generated code a student never wrote. This check
//! names the lesson and the function instead, in the student's terms.

use std::path::Path;

use asynclings_runner::registry::LessonEntry;
use asynclings_runner::registry::signature::Signature;
use syn::spanned::Spanned;

use crate::cargo_build::CompileError;

/// What is wrong with a lesson's functions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// In words, naming the function and the signature it must keep.
    pub message: String,
    /// The line it is about, when there is one.
    pub line: Option<usize>,
}

impl Problem {
    /// As a compile error of the lesson's file, for the reports.
    pub fn as_error(&self, file: &Path, root: &Path) -> CompileError {
        let shown = crate::grade::shown(file, root);
        let at = match self.line {
            Some(line) => format!("{shown}:{line}"),
            None => shown.clone(),
        };
        CompileError {
            file: Some(shown.clone()),
            line: self.line,
            rendered: format!("error: {}\n  --> {at}\n", self.message),
            message: self.message.clone(),
            code: None,
            spans: Vec::new(),
            explanation: None,
            compiler_message: None,
        }
    }
}

/// The first problem with the functions of `lesson` in `file`, if any: a function missing (and
/// what the file defines instead), `#[tokio::main]` on it, `async` added or dropped, or a
/// parameter count changed. Types are not compared: where they differ, rustc says so in the
/// file itself.
pub fn check(file: &Path, lesson: &LessonEntry) -> Option<Problem> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Some(Problem {
            message: format!(
                "the file of lesson `{}` is missing: {} must define {}",
                lesson.id,
                file.display(),
                lesson.functions.join(", ")
            ),
            line: None,
        });
    };
    // A file that does not parse has errors of its own, which rustc places in it.
    let parsed = syn::parse_file(&text).ok()?;
    let signatures = lesson.signatures().ok()?;
    signatures
        .iter()
        .find_map(|expected| check_function(&parsed, expected, lesson))
}

fn check_function(file: &syn::File, expected: &Signature, lesson: &LessonEntry) -> Option<Problem> {
    let functions: Vec<&syn::ItemFn> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Fn(function) => Some(function),
            _ => None,
        })
        .collect();
    let must = format!("`{}` must stay `{}`", expected.name, expected.text);
    let Some(found) = functions
        .iter()
        .find(|f| f.sig.ident == expected.name.as_str())
    else {
        // Re-exported from elsewhere (`pub use`): the compiler judges that.
        if file
            .items
            .iter()
            .any(|item| matches!(item, syn::Item::Use(u) if quote_of(u).contains(&expected.name)))
        {
            return None;
        }
        let others: Vec<String> = functions
            .iter()
            .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
            .filter(|f| {
                !lesson
                    .functions
                    .iter()
                    .any(|s| Signature::parse(s).is_ok_and(|s| f.sig.ident == s.name.as_str()))
            })
            .map(|f| format!("`{}`", f.sig.ident))
            .collect();
        let instead = if others.is_empty() {
            String::new()
        } else {
            format!(
                "; the file has {} instead: was it renamed?",
                others.join(", ")
            )
        };
        return Some(Problem {
            message: format!(
                "lesson `{}` has no function `{}`: the checker calls it, so {must}{instead}",
                lesson.id, expected.name
            ),
            line: None,
        });
    };
    let line = Some(found.sig.ident.span().start().line);
    if let Some(attribute) = found.attrs.iter().find(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "main" || s.ident == "test")
    }) {
        let name = quote_of(attribute.path());
        return Some(Problem {
            message: format!(
                "{must}: `#[{name}]` turned it into a plain function that starts a runtime of its own; the checker already runs it inside tokio, so remove the attribute"
            ),
            line: Some(attribute.span().start().line),
        });
    }
    let is_async = found.sig.asyncness.is_some();
    if is_async != expected.is_async {
        let what = if expected.is_async {
            "it is no longer `async`"
        } else {
            "it was made `async`, so it returns a future instead of starting its work at once"
        };
        return Some(Problem {
            message: format!("{must}: {what}"),
            line,
        });
    }
    if found.sig.inputs.len() != expected.params.len() {
        return Some(Problem {
            message: format!(
                "{must}: it takes {} parameter(s), the checker passes {}",
                found.sig.inputs.len(),
                expected.params.len()
            ),
            line,
        });
    }
    if !matches!(found.vis, syn::Visibility::Public(_)) {
        return Some(Problem {
            message: format!("{must}: it is not `pub`, so the checker cannot call it"),
            line,
        });
    }
    None
}

/// Tokens as text, without the spaces the token printer puts between them.
fn quote_of(tokens: &impl quote::ToTokens) -> String {
    tokens.to_token_stream().to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(functions: &[&str]) -> LessonEntry {
        LessonEntry {
            id: "tasks".into(),
            file: "03_tasks.rs".into(),
            functions: functions.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn problem(source: &str, functions: &[&str]) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("03_tasks.rs");
        std::fs::write(&file, source).unwrap();
        check(&file, &lesson(functions)).map(|p| p.message)
    }

    #[test]
    fn a_renamed_function_is_named_with_what_the_file_has_instead() {
        let message = problem(
            "pub async fn fetch_data() -> u32 { 1 }\npub async fn main_task() {}\n",
            &[
                "pub async fn fetch_data() -> u32",
                "pub async fn fetch_in_background()",
            ],
        )
        .expect("a problem");
        assert!(
            message.contains("no function `fetch_in_background`"),
            "{message}"
        );
        assert!(message.contains("`main_task` instead"), "{message}");
    }

    #[test]
    fn tokio_main_is_named_and_a_matching_file_passes() {
        let message = problem(
            "#[tokio::main(flavor = \"current_thread\")]\npub async fn measure_runtime() -> Duration { todo!() }\n",
            &["pub async fn measure_runtime() -> Duration"],
        )
        .expect("a problem");
        assert!(message.contains("`#[tokio::main]`"), "{message}");
        assert!(message.contains("remove the attribute"), "{message}");
        assert_eq!(
            problem(
                "pub async fn measure_runtime() -> Duration { todo!() }",
                &["pub async fn measure_runtime() -> Duration"]
            ),
            None
        );
    }

    #[test]
    fn async_dropped_and_parameters_changed_are_named() {
        let dropped = problem(
            "pub fn f(n: u64) -> u64 { n }",
            &["pub async fn f(n: u64) -> u64"],
        );
        assert!(dropped.unwrap().contains("no longer `async`"));
        let params = problem(
            "pub async fn f() -> u64 { 1 }",
            &["pub async fn f(n: u64) -> u64"],
        );
        assert!(
            params
                .unwrap()
                .contains("takes 0 parameter(s), the checker passes 1")
        );
    }
}
