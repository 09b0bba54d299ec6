//! The `[[source]]` rules: a function must not use some names and must call others. A rule's
//! verdict names the finding, its place (in a helper's file when the use is there) and the
//! rule's word.

use std::path::Path;

use super::collect::{Imports, Use, analyze};
use crate::grade::message;
use crate::results::{CaseResult, Reason, Status};
use crate::spec::{Case, SourceRule};

/// Grades a source rule against the function's file.
pub fn grade(case: &Case, rule: &SourceRule, file: &Path, shown_file: &str) -> CaseResult {
    let mut result = CaseResult::new(
        &case.name,
        &case.function,
        Status::Fail,
        case.points,
        case.hidden,
    );
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            result.status = Status::Error;
            result.message = format!("cannot read {}: {error}", file.display());
            return result;
        }
    };
    let body = match analyze(&text, &case.function, file.parent()) {
        Ok(Some(body)) => body,
        Ok(None) => return not_defined_here(result, rule, &text, &case.function, shown_file),
        Err(error) => {
            result.status = Status::Error;
            result.message = format!("cannot read {shown_file} as Rust: {error}");
            return result;
        }
    };
    if body.stub {
        result.status = Status::NotImplemented;
        result.message = "not implemented yet".into();
        return result;
    }
    let shown_dir = Path::new(shown_file).parent();
    let mut problems = Vec::new();
    for forbidden in &rule.forbid {
        let found = body.uses.iter().find_map(|u| {
            u.readings()
                .find(|reading| matches(reading, forbidden, false))
                .map(|reading| (u, reading))
        });
        if let Some((found, reading)) = found {
            let name = reading.join("::");
            // A helper in another file is shown by that file's name, beside the lesson's.
            let file_of_use = match &found.via {
                Some((_, Some(other))) => {
                    let name = other
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    shown_dir.map_or(name.clone(), |d| {
                        d.join(&name).to_string_lossy().replace('\\', "/")
                    })
                }
                _ => shown_file.to_string(),
            };
            let place = format!("{file_of_use}:{}", found.line);
            let via = found.via.as_ref().map(|(helper, _)| helper.as_str());
            let headline = if found.blocking_thread {
                message::forbidden_in_blocking_thread(&case.function, &name, &place)
            } else {
                message::forbidden(
                    &case.function,
                    &name,
                    &place,
                    via,
                    rule.says
                        .as_deref()
                        .unwrap_or("the lesson does not allow it"),
                )
            };
            problems.push(Problem {
                line: found.line,
                place: place.clone(),
                message: message::forbidden_message(&case.function, &name, &place, via),
                headline: Some(headline),
                reason: Reason::Forbidden {
                    name,
                    location: place,
                    on_blocking_thread: found.blocking_thread,
                },
            });
        }
    }
    for required in &rule.require {
        if !calls(&body.uses, required) {
            problems.push(Problem {
                line: body.line,
                place: format!("{shown_file}:{}", body.line),
                message: message::never_calls(&case.function, required),
                headline: None,
                reason: Reason::Missing {
                    name: required.clone(),
                },
            });
        }
    }
    if let Some(first) = problems.first() {
        result.location = Some(if first.place.starts_with(shown_file) {
            format!("{shown_file}:{}", first.line)
        } else {
            first.place.clone()
        });
        result.diagnosis = first.headline.clone().or_else(|| rule.says.clone());
        result.reason = Some(first.reason.clone());
        result.message = problems
            .into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join("\n");
        return result;
    }
    result.status = Status::Pass;
    result.points = result.max_points;
    result
}

/// One thing a source rule found wrong.
struct Problem {
    line: usize,
    place: String,
    message: String,
    headline: Option<String>,
    reason: Reason,
}

/// The verdict on a file that does not define `function`. When it imports it instead
/// (`pub use other::module::function;`, as corpus files do for the functions they take from
/// the reference), there is no body here that could use a forbidden name, so a rule that only
/// forbids passes; a rule that requires calls cannot be checked and fails.
fn not_defined_here(
    mut result: CaseResult,
    rule: &SourceRule,
    text: &str,
    function: &str,
    shown_file: &str,
) -> CaseResult {
    let imported = syn::parse_file(text)
        .ok()
        .and_then(|file| Imports::of(&file.items).names.remove(function));
    match imported {
        Some(_) if rule.require.is_empty() => {
            result.status = Status::Pass;
            result.points = result.max_points;
        }
        Some(path) => {
            result.message = format!(
                "{shown_file} does not define `{function}`: it imports `{}`, whose body cannot be checked here",
                path.join("::")
            );
        }
        None => result.message = format!("{shown_file} has no function `{function}`"),
    }
    result
}

/// Whether the uses satisfy `require = [required]`: some use is a call (see [`Use::called`])
/// of a path matching `required`.
fn calls(uses: &[Use], required: &str) -> bool {
    uses.iter()
        .any(|u| u.called && matches(&u.path, required, true))
}

/// Whether a used path matches a rule's name.
///
/// Required names match the last segment of what is used (`crate::wait_random::wait_random`
/// calls `wait_random`). Forbidden names match anywhere: one segment matches any segment
/// (`BinaryHeap` in `std::collections::BinaryHeap::new`); a longer name matches a run of the
/// path (`std::time::Instant` in `std::time::Instant::now`), or a path of two or more segments
/// that ends it (`thread::sleep` for `std::thread::sleep`).
pub(super) fn matches(path: &[String], name: &str, required: bool) -> bool {
    let wanted: Vec<&str> = name.split("::").collect();
    if required {
        return path.last().map(String::as_str) == wanted.last().copied();
    }
    if wanted.len() == 1 {
        return path.iter().any(|segment| segment == wanted[0]);
    }
    let contains = path
        .windows(wanted.len())
        .any(|window| window.iter().zip(&wanted).all(|(a, b)| a == b));
    let ends_it = path.len() >= 2
        && path.len() < wanted.len()
        && wanted[wanted.len() - path.len()..]
            == path.iter().map(String::as_str).collect::<Vec<_>>()[..];
    contains || ends_it
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::source::collect::Body;

    fn uses_in(text: &str, function: &str) -> syn::Result<Option<Body>> {
        analyze(text, function, None)
    }

    #[test]
    fn matching_rules() {
        let path = |p: &str| p.split("::").map(String::from).collect::<Vec<_>>();
        assert!(matches(
            &path("std::thread::sleep"),
            "std::thread::sleep",
            false
        ));
        assert!(matches(&path("thread::sleep"), "std::thread::sleep", false));
        assert!(!matches(
            &path("tokio::time::sleep"),
            "std::thread::sleep",
            false
        ));
        assert!(!matches(&path("sleep"), "std::thread::sleep", false));
        assert!(matches(
            &path("sort_unstable_by"),
            "sort_unstable_by",
            false
        ));
        assert!(matches(
            &path("crate::wait_random::wait_random"),
            "wait_random",
            true
        ));
        assert!(!matches(
            &path("crate::wait_random::other"),
            "wait_random",
            true
        ));
        assert!(matches(
            &path("std::time::Instant::now"),
            "std::time::Instant",
            false
        ));
        assert!(!matches(
            &path("tokio::time::Instant::now"),
            "std::time::Instant",
            false
        ));
        assert!(matches(
            &path("std::collections::BinaryHeap::new"),
            "BinaryHeap",
            false
        ));
    }

    /// Whether the body of `f` in `text` satisfies `require = [name]`.
    fn requires(text: &str, name: &str) -> bool {
        calls(&uses_in(text, "f").unwrap().unwrap().uses, name)
    }

    #[test]
    fn require_needs_a_call_not_a_mention() {
        let call = "async fn f() { wait_random(1).await; }";
        assert!(requires(call, "wait_random"));
        let path_call = "async fn f() { crate::wait_random::wait_random(1).await; }";
        assert!(requires(path_call, "wait_random"));
        let in_closure = "fn f() { (0..3).map(|_| tokio::spawn(wait_random(1))); }";
        assert!(requires(in_closure, "wait_random"));
        assert!(requires(in_closure, "spawn"));
        let method = "fn f(set: &mut JoinSet<f64>) { set.spawn(async { 1.0 }); }";
        assert!(requires(method, "spawn"));
        let passed = "fn f() { stream::iter(0..3).then(wait_random); }";
        assert!(requires(passed, "wait_random"));
        let in_macro = "async fn f() { tokio::join!(g(), wait_random(1)); }";
        assert!(requires(in_macro, "wait_random"));
        let in_select =
            "async fn f() { tokio::select! { _ = g() => {}, x = r.read_line(&mut s) => h(x), } }";
        assert!(requires(in_select, "read_line"));
        // Only named: never called.
        assert!(!requires("fn f() { let _f = wait_random; }", "wait_random"));
        assert!(!requires("fn f() { let _ = wait_random; }", "wait_random"));
        assert!(!requires(
            "fn f() -> fn(u64) { wait_random as fn(u64) }",
            "wait_random"
        ));
        assert!(!requires(
            "fn f() { // wait_random(1)\n let s = \"wait_random(1)\"; }",
            "wait_random"
        ));
    }

    fn rule(forbid: &[&str], require: &[&str]) -> SourceRule {
        SourceRule {
            forbid: forbid.iter().map(|s| s.to_string()).collect(),
            require: require.iter().map(|s| s.to_string()).collect(),
            says: None,
        }
    }

    /// Grades `rule` on function `greet` of a file holding `text`.
    fn graded(text: &str, rule: SourceRule) -> CaseResult {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let case = Case {
            name: "source".into(),
            function: "greet".into(),
            points: 1.0,
            hidden: false,
            kind: crate::spec::CaseKind::Source(rule.clone()),
        };
        grade(&case, &rule, file.path(), "02_greet.rs")
    }

    #[test]
    fn an_imported_function_passes_forbid_rules_only() {
        let text = "pub use solutions::greet::greet;\npub async fn greet_all() {}";
        let forbid = graded(text, rule(&["std::thread::sleep"], &[]));
        assert_eq!(forbid.status, Status::Pass, "{}", forbid.message);
        let require = graded(text, rule(&[], &["sleep"]));
        assert_eq!(require.status, Status::Fail);
        assert!(
            require
                .message
                .contains("imports `solutions::greet::greet`"),
            "{}",
            require.message
        );
        let missing = graded("pub async fn greet_all() {}", rule(&["x"], &[]));
        assert!(missing.message.contains("has no function `greet`"));
    }

    #[test]
    fn a_forbidden_call_fails_with_its_line_and_a_mention_fails_require() {
        let text = "async fn greet() {\n    std::thread::sleep(d);\n}";
        let forbid = graded(text, rule(&["std::thread::sleep"], &[]));
        assert_eq!(forbid.status, Status::Fail);
        assert_eq!(forbid.location.as_deref(), Some("02_greet.rs:2"));
        let text = "async fn greet() { let _f = wait_random; }";
        let require = graded(text, rule(&[], &["wait_random"]));
        assert_eq!(require.status, Status::Fail);
        assert!(require.message.contains("never calls `wait_random`"));
    }

    #[test]
    fn a_finding_in_a_helper_names_it_and_one_on_a_blocking_thread_says_so() {
        let text = "fn settle() {\n    std::thread::sleep(d);\n}\nasync fn greet() { settle(); }";
        let verdict = graded(text, rule(&["std::thread::sleep"], &[]));
        assert_eq!(verdict.status, Status::Fail);
        let headline = verdict.diagnosis.unwrap_or_default();
        assert!(headline.contains("through `settle`"), "{headline}");
        assert!(
            matches!(verdict.reason, Some(Reason::Forbidden { ref name, .. }) if name == "std::thread::sleep")
        );
        let text = "fn greet() -> H { tokio::task::spawn_blocking(move || { std::thread::sleep(d); 1.0 }) }";
        let verdict = graded(text, rule(&["std::thread::sleep"], &[]));
        let headline = verdict.diagnosis.unwrap_or_default();
        assert!(headline.contains("on a blocking thread"), "{headline}");
    }
}
