//! Reads spec files into lessons, reporting every problem with its location.

use std::path::{Path, PathBuf};

use super::Lesson;
use super::compile::Compiler;
use super::docs::{self, UsedKey};
use super::document;
use super::error::{LoadError, Locator, SpecError};
use super::raw::RawSpec;

/// Everything known about one spec file after reading it: what it says, what it compiles to,
/// which keys it uses, and what is wrong with it.
#[derive(Debug)]
pub struct Checked {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// The spec as written, when its keys and types allowed one (missing keys filled with
    /// placeholders; see [`document::is_placeholder`]).
    pub raw: Option<RawSpec>,
    /// The compiled lesson, when the file has no problem.
    pub lesson: Option<Lesson>,
    /// The keys of the format it uses, located.
    pub keys: Vec<UsedKey>,
    /// Every problem found, in file order.
    pub errors: Vec<SpecError>,
}

/// Reads and checks one spec's text; `number` is the lesson's position in the course.
pub fn check_text(path: &Path, text: &str, number: usize) -> Checked {
    let mut locator = Locator::new(path, text);
    let parsed = document::parse(text, &mut locator);
    let keys = parsed
        .tree
        .as_ref()
        .map(docs::used_keys)
        .unwrap_or_default();
    let lesson = parsed
        .raw
        .as_ref()
        .and_then(|raw| Compiler::new(&mut locator).lesson(raw, number));
    let mut errors = locator.errors;
    errors.sort_by_key(|e| (e.line, e.column));
    Checked {
        path: path.to_path_buf(),
        text: text.to_string(),
        lesson: lesson.filter(|_| errors.is_empty()),
        raw: parsed.raw,
        keys,
        errors,
    }
}

/// Compiles one spec file's text.
pub fn load_text(path: &Path, text: &str, number: usize) -> Result<Lesson, Vec<SpecError>> {
    let checked = check_text(path, text, number);
    match checked.lesson {
        Some(lesson) => Ok(lesson),
        None => Err(checked.errors),
    }
}

/// The `*.toml` files of `dirs`, in file-name order within each directory.
pub fn spec_files(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|error| {
            LoadError::Directory(format!(
                "cannot read the spec directory {}: {error}",
                dir.display()
            ))
        })?;
        let mut in_dir: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        if in_dir.is_empty() {
            return Err(LoadError::Directory(format!(
                "no spec files (*.toml) in {}",
                dir.display()
            )));
        }
        in_dir.sort();
        files.extend(in_dir);
    }
    Ok(files)
}

/// Reads and checks every spec of `dirs`, numbering lessons in order, as grading reads them
/// (`crate::spec::load_specs`): within one directory a lesson has one spec, and a second is a
/// problem; a lesson specified again in a later directory (a private directory of hidden
/// cases, say) gets that spec's cases added, so only a case name used twice in the lesson
/// across directories is a problem, reported at the later case with the earlier one's place.
pub fn check_dirs(dirs: &[PathBuf]) -> Result<Vec<Checked>, LoadError> {
    let mut checked: Vec<Checked> = Vec::new();
    // The index in `dirs` of each file's directory.
    let mut dir_of: Vec<usize> = Vec::new();
    for (index, dir) in dirs.iter().enumerate() {
        for path in spec_files(std::slice::from_ref(dir))? {
            let number = checked.len() + 1;
            match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => checked.push(check_text(&path, &text, number)),
                    Err(error) => {
                        checked.push(unreadable(&path, format!("not UTF-8 text: {error}")))
                    }
                },
                Err(error) => checked.push(unreadable(&path, format!("cannot read: {error}"))),
            }
            dir_of.push(index);
        }
    }
    // Lesson id -> files (indices into `checked`) that specify it, in order.
    let mut specified: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for current in 0..checked.len() {
        let Some(raw) = &checked[current].raw else {
            continue;
        };
        if document::is_placeholder(&raw.lesson) {
            continue;
        }
        let id = raw.lesson.get_ref().clone();
        let earlier = specified.entry(id.clone()).or_default();
        let mut locator = Locator::new(&checked[current].path, &checked[current].text);
        if let Some(&same_dir) = earlier.iter().find(|&&e| dir_of[e] == dir_of[current]) {
            locator.error_at(
                raw.lesson.span(),
                format!(
                    "lesson `{id}` is already specified in {} (one spec per lesson in a directory)",
                    checked[same_dir].path.display()
                ),
            );
        } else {
            for case in &raw.cases {
                if document::is_placeholder(&case.name) {
                    continue;
                }
                let first = earlier.iter().find_map(|&e| {
                    let other = checked[e].raw.as_ref()?;
                    let named = other
                        .cases
                        .iter()
                        .find(|c| c.name.get_ref() == case.name.get_ref())?;
                    Some(place(&checked[e], named.name.span().start))
                });
                if let Some(first) = first {
                    locator.error_at(
                        case.name.span(),
                        format!(
                            "lesson `{id}` already has a case named `{}`, in {first}: the specs of a lesson in several directories are merged, so its case names must differ",
                            case.name.get_ref()
                        ),
                    );
                }
            }
            earlier.push(current);
        }
        let mut errors = locator.errors;
        let file = &mut checked[current];
        if !errors.is_empty() {
            file.errors.append(&mut errors);
            file.errors.sort_by_key(|e| (e.line, e.column));
            file.lesson = None;
        }
    }
    Ok(checked)
}

/// `path:line:column` of byte `offset` of a checked file.
fn place(file: &Checked, offset: usize) -> String {
    let offset = super::floor_boundary(&file.text, offset);
    let before = &file.text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("{}:{line}:{column}", file.path.display())
}

fn unreadable(path: &Path, message: String) -> Checked {
    Checked {
        path: path.to_path_buf(),
        text: String::new(),
        raw: None,
        lesson: None,
        keys: Vec::new(),
        errors: vec![SpecError::whole_file(path, message)],
    }
}

/// Loads every `*.toml` spec of `dirs`, in file-name order within each directory. A lesson
/// specified in several directories comes once per spec: merging them is the caller's work.
pub fn load_dirs(dirs: &[PathBuf]) -> Result<Vec<Lesson>, LoadError> {
    let checked = check_dirs(dirs)?;
    let errors: Vec<SpecError> = checked.iter().flat_map(|c| c.errors.clone()).collect();
    if !errors.is_empty() {
        return Err(LoadError::Invalid(errors));
    }
    Ok(checked.into_iter().filter_map(|c| c.lesson).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::spec::{CaseKind, DEFAULT_TOLERANCE};

    fn load(text: &str) -> Result<Lesson, Vec<SpecError>> {
        load_text(Path::new("specs/test.toml"), text, 1)
    }

    const MINIMAL: &str = r#"
lesson = "wait_n"
title = "t"
file = "06_wait_n.rs"
hint = "h"
function = "wait_n"

[[case]]
name = "five"
args = { n = 5, max_delay = 10 }
expect = { len = "n", each = "0 ..= max_delay", order = "ascending", elapsed = "max(result)" }
"#;

    #[test]
    fn a_minimal_spec_loads() {
        let lesson = load(MINIMAL).unwrap();
        assert_eq!(lesson.id, "wait_n");
        assert_eq!(lesson.cases.len(), 1);
        let CaseKind::Call(call) = &lesson.cases[0].kind else {
            panic!("a call case")
        };
        assert!(call.expect.ascending);
        assert_eq!(call.expect.tolerance, DEFAULT_TOLERANCE);
        assert_eq!(call.args["n"], serde_json::json!(5));
    }

    #[test]
    fn max_blocked_defaults_to_a_tenth_of_a_second_and_takes_a_duration() {
        let max_blocked = |text: &str| {
            let lesson = load(text).unwrap();
            let CaseKind::Call(call) = &lesson.cases[0].kind else {
                panic!("a call case")
            };
            call.expect.max_blocked
        };
        assert_eq!(max_blocked(MINIMAL), crate::spec::DEFAULT_MAX_BLOCKED);
        let raised = MINIMAL.replace("expect = { ", "expect = { max_blocked = \"2s\", ");
        assert_eq!(max_blocked(&raised), 2.0);
        let bad = MINIMAL.replace("expect = { ", "expect = { max_blocked = \"-1s\", ");
        let errors = load(&bad).unwrap_err();
        assert!(
            errors[0]
                .message
                .contains("`max_blocked` must be a duration")
        );
    }

    #[test]
    fn an_unknown_key_names_file_and_line() {
        let text = MINIMAL.replace("order = \"ascending\"", "ordre = \"ascending\"");
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 11);
        assert!(errors[0].message.contains("ordre"), "{}", errors[0].message);
        assert!(
            errors[0].to_string().contains("specs/test.toml:11:"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_bad_expression_points_inside_it() {
        let text = MINIMAL.replace("max(result)", "max(result");
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 11);
        assert!(errors[0].message.contains("in `elapsed`"));
        let quote = errors[0].snippet.find("\"max(result").unwrap();
        assert_eq!(errors[0].column, quote + 1 + "max(result".len() + 1);
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let text = MINIMAL
            .replace("max(result)", "max(")
            .replace("0 ..= max_delay", "0 ..= ")
            + "\n[[case]]\nname = \"five\"\n";
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:#?}");
    }

    #[test]
    fn durations_must_be_constant_and_bounded() {
        for (timeout, ok) in [
            ("10s", true),
            ("1e20s", false),
            ("-1s", false),
            ("n", false),
        ] {
            let text = MINIMAL.replace(
                "function = \"wait_n\"\n",
                &format!("function = \"wait_n\"\ntimeout = \"{timeout}\"\n"),
            );
            assert_eq!(
                load(&text).is_ok(),
                ok,
                "{timeout}: {:?}",
                load(&text).err()
            );
        }
    }

    #[test]
    fn a_missing_key_gets_a_placeholder_and_the_rest_is_still_checked() {
        let text = MINIMAL
            .replace("title = \"t\"\n", "")
            .replace("max(result)", "max(reslt)");
        let errors = load(&text).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("missing field `title`")));
        assert!(messages.iter().any(|m| m.contains("unknown name `reslt`")));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_not_also_reported_missing() {
        let text = MINIMAL.replace("title = \"t\"", "title = 5");
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].message.contains("invalid type: integer `5`"));
        assert_eq!((errors[0].line, errors[0].column), (3, 9));
    }

    #[test]
    fn placeholders_are_found() {
        let found = super::super::placeholders("took {elapsed} s, about {sum(result)}");
        let texts: Vec<&str> = found.iter().map(|p| p.text).collect();
        assert_eq!(texts, ["elapsed", "sum(result)"]);
        assert_eq!(found[0].start, "took {".len());
        // Doubled braces are braces, not placeholders.
        let found = super::super::placeholders("a set {{1, 2}} has {len(result)} items");
        let texts: Vec<&str> = found.iter().map(|p| p.text).collect();
        assert_eq!(texts, ["len(result)"]);
        assert_eq!(found[0].start, "a set {{1, 2}} has {".len());
    }

    const DINE: &str = r#"lesson = "dine"
title = "t"
file = "20_dine.rs"
function = "dine"
hint = "h"

[[case]]
name = "five"
args = { n = 5, meals = 2 }
[case.expect]
assert = [
  { name = "meals", that = "all(s in 0 .. n, count(l in lines, parse(split(l)[0]) == s) == meals)" },
  { name = "ate", that = "len(lines) == n * meals" },
]

[[diagnose]]
when = "failed.meals and not failed.ate"
says = "someone ate {{too often}}"
"#;

    #[test]
    fn asserts_are_named_and_diagnoses_read_which_failed() {
        let lesson = load(DINE).unwrap();
        let CaseKind::Call(call) = &lesson.cases[0].kind else {
            panic!("a call case")
        };
        let names: Vec<&str> = call
            .expect
            .asserts
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, ["meals", "ate"]);
        assert_eq!(call.expect.names(), ["max_blocked", "meals", "ate"]);
    }

    #[test]
    fn a_type_error_is_reported_where_it_is() {
        let text = DINE.replace("len(lines) == n * meals", "'x' + n == 1");
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (13, 27), "{errors:?}");
        assert!(
            errors[0]
                .message
                .contains("in `that`: `+` needs a number; `'x'` is text"),
            "{errors:?}"
        );
        let text = DINE.replace("failed.meals and", "failed.meal and");
        let errors = load(&text).unwrap_err();
        assert!(errors[0].message.contains("has no `meal`"), "{errors:?}");
        // A key's expression must be of the key's type.
        let text = DINE.replace(
            "when = \"failed.meals and not failed.ate\"",
            "when = \"n + 1\"",
        );
        let errors = load(&text).unwrap_err();
        assert!(
            errors[0]
                .message
                .contains("`when` is a condition (true/false); this is a number"),
            "{errors:?}"
        );
    }

    #[test]
    fn assert_names_are_checked() {
        for (name, says) in [
            ("two words", "letters, digits and `_`"),
            ("elapsed", "is an expectation's key"),
            ("ate", "a second assert named `ate`"),
        ] {
            let text = DINE.replace("name = \"meals\"", &format!("name = \"{name}\""));
            let errors = load(&text).unwrap_err();
            assert!(
                errors.iter().any(|e| e.message.contains(says)),
                "{name}: {errors:?}"
            );
        }
        // `failed` is for diagnoses: an assert cannot read it.
        let text = DINE.replace("len(lines) == n * meals", "failed.meals");
        let errors = load(&text).unwrap_err();
        assert!(
            errors[0].message.contains("unknown name `failed`"),
            "{errors:?}"
        );
    }
}
