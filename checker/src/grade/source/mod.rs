//! Checks on the student's source, read with syn: comments and strings never count.
//!
//! A `[[source]]` rule names a function and lists names it must not use (`sort`,
//! `std::thread::sleep`, `BinaryHeap`) and functions it must call (`wait_random`). Paths are
//! resolved through the `use` declarations of the file and of the function body, so
//! `use std::thread; thread::sleep(..)` and `use std::thread::sleep as nap; nap(..)` are both
//! `std::thread::sleep`; a glob import (`use std::thread::*;`) gives a bare `sleep(..)` the
//! reading `std::thread::sleep` too. The rules follow the function into the helper functions it
//! calls in the same crate: in its own file, and in the crate's modules (`crate::util::nap`).

mod collect;
mod order;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use collect::*;
pub use order::OrderKeeping;

use super::message;
use crate::results::{CaseResult, Reason, Status};
use crate::spec::{Case, SourceRule};

/// What a lesson function's source shows, for the verdicts that combine it with the run.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Every name used (resolved, with its prefixes and its last segment, and the readings
    /// through glob imports): the `uses` of the diagnoses' conditions.
    pub uses: Vec<String>,
    /// The names the function (and its helpers) calls, resolved.
    pub calls: Vec<Vec<String>>,
    /// An order-keeping combinator whose result is kept.
    pub order_keeping: Option<OrderKeeping>,
    /// Plain locals a `move` block copied before the function set them again, with the
    /// lesson file's name (the task never sees the new value).
    pub copied: Vec<(String, super::captured::CopiedLocal)>,
    /// Floats cast to whole seconds for `Duration::from_secs`, anywhere in the lesson's
    /// file, with the file's name.
    pub whole_seconds: Vec<(String, super::truncated::WholeSeconds)>,
    /// Durations read in whole seconds (`.as_secs()`), anywhere in the lesson's file, with
    /// the file's name.
    pub as_secs: Vec<(String, super::truncated::WholeSeconds)>,
    /// Permits the function leaves in its spawning loop, with the file's name.
    pub permits_left: Vec<(String, super::permit::PermitLeft)>,
}

/// What the source of `function` in `file` shows; empty when it cannot be read.
///
/// Every call case of a lesson asks for the same facts: within a grading run ([`forget`]
/// starts one) they are parsed once per text of the file.
pub fn facts(file: &Path, function: &str) -> Facts {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Facts::default();
    };
    let key = (file.to_path_buf(), function.to_string());
    if let Ok(memo) = MEMO.lock()
        && let Some((seen, facts)) = memo.as_ref().and_then(|m| m.get(&key))
        && *seen == text
    {
        return facts.clone();
    }
    let found = read_facts(file, function, &text);
    if let Ok(mut memo) = MEMO.lock() {
        memo.get_or_insert_with(HashMap::new)
            .insert(key, (text, found.clone()));
    }
    found
}

type Memo = HashMap<(PathBuf, String), (String, Facts)>;

/// The facts read so far in this grading run, with the text each was read from.
static MEMO: std::sync::Mutex<Option<Memo>> = std::sync::Mutex::new(None);

/// Forgets the facts read so far: a grading run starts reading afresh (a helper in another
/// file may have changed since the last run, in `watch`).
pub fn forget() {
    if let Ok(mut memo) = MEMO.lock() {
        *memo = None;
    }
}

fn read_facts(file: &Path, function: &str, text: &str) -> Facts {
    let Ok(Some(body)) = analyze(text, function, file.parent()) else {
        return Facts::default();
    };
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let copied = super::captured::copied_locals(text, function)
        .into_iter()
        .map(|local| (file_name.clone(), local))
        .collect();
    let whole_seconds = super::truncated::whole_seconds(text)
        .into_iter()
        .map(|cast| (file_name.clone(), cast))
        .collect();
    let as_secs = super::truncated::as_secs_readings(text)
        .into_iter()
        .map(|reading| (file_name.clone(), reading))
        .collect();
    let permits_left = super::permit::left_in_loop(text, function)
        .into_iter()
        .map(|permit| (file_name.clone(), permit))
        .collect();
    let mut uses = HashSet::new();
    for u in &body.uses {
        for reading in u.readings() {
            for end in 1..=reading.len() {
                uses.insert(reading[..end].join("::"));
            }
            if let Some(last) = reading.last() {
                uses.insert(last.clone());
            }
        }
    }
    let mut uses: Vec<String> = uses.into_iter().collect();
    uses.sort();
    Facts {
        uses,
        calls: body
            .uses
            .iter()
            .filter(|u| u.called)
            .map(|u| u.path.clone())
            .collect(),
        order_keeping: body.order_keeping,
        copied,
        whole_seconds,
        as_secs,
        permits_left,
    }
}

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
fn matches(path: &[String], name: &str, required: bool) -> bool {
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

    fn uses_in(text: &str, function: &str) -> syn::Result<Option<Body>> {
        analyze(text, function, None)
    }

    fn names(text: &str) -> Vec<String> {
        uses_in(text, "f")
            .unwrap()
            .unwrap()
            .uses
            .iter()
            .map(|u| u.path.join("::"))
            .collect()
    }

    #[test]
    fn calls_inside_select_branches_are_seen() {
        let text = r#"
            async fn f() {
                tokio::select! {
                    biased;
                    first = async_comprehension() => first,
                    _ = tokio::time::sleep(d) => { helper(1 == 2) }
                }
            }
        "#;
        let names = names(text);
        for wanted in ["async_comprehension", "tokio::time::sleep", "helper"] {
            assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
        }
    }

    #[test]
    fn calls_methods_and_macros_are_seen_but_not_comments_or_strings() {
        let text = r#"
            use std::thread;
            async fn f(v: &mut Vec<f64>) {
                // v.sort();
                let s = "sort";
                v.sort_by(|a, b| a.total_cmp(b));
                thread::sleep(std::time::Duration::from_secs(1));
                println!("{:?}", std::collections::BinaryHeap::<u8>::new());
            }
        "#;
        let used = names(text);
        assert!(used.contains(&"sort_by".to_string()), "{used:?}");
        assert!(used.contains(&"std::thread::sleep".to_string()), "{used:?}");
        assert!(used.iter().any(|u| u.contains("BinaryHeap")), "{used:?}");
        assert!(!used.iter().any(|u| u == "sort"), "{used:?}");
    }

    #[test]
    fn a_value_bound_to_underscore_is_seen_as_let_underscore() {
        let dropped = names("async fn f(s: S) { let _ = s.acquire().await; }");
        assert!(dropped.contains(&"let _".to_string()), "{dropped:?}");
        let typed = names("fn f(s: S) { let _: P = s.acquire(); }");
        assert!(typed.contains(&"let _".to_string()), "{typed:?}");
        // A named binding keeps the value: not `let _`.
        let kept = names("async fn f(s: S) { let _permit = s.acquire().await; }");
        assert!(!kept.contains(&"let _".to_string()), "{kept:?}");
    }

    #[test]
    fn renamed_imports_resolve() {
        let text = "use std::thread::sleep as nap; fn f() { nap(d); }";
        assert_eq!(names(text), ["std::thread::sleep", "d"]);
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
    fn a_todo_body_is_a_stub() {
        let body = uses_in("fn f() { todo!() }", "f").unwrap().unwrap();
        assert!(body.stub);
        let body = uses_in("fn f() { if x { todo!() } else { y() } }", "f")
            .unwrap()
            .unwrap();
        assert!(!body.stub);
        let stub = |text: &str| uses_in(text, "f").unwrap().unwrap().stub;
        // The stream stub of lesson 10: the todo!() runs on the first poll, whatever happens.
        assert!(stub(
            "fn f() -> S { futures::stream::once(async { todo!() }) }"
        ));
        assert!(stub("fn f() { let _ = x; unimplemented!() }"));
        // A todo!() left in a closure, a loop or a match arm is not reached by every call.
        assert!(!stub(
            "fn f() -> S { iter(0..3).then(|_| async { todo!() }) }"
        ));
        assert!(!stub("fn f() { for i in x { todo!() } }"));
        assert!(!stub("fn f() { match x { 0 => todo!(), _ => y() } }"));
        assert!(!stub("fn f() { fn g() { todo!() } g2() }"));
    }

    #[test]
    fn globs_body_imports_and_helpers_are_followed() {
        let forbids = |text: &str, name: &str| {
            uses_in(text, "f")
                .unwrap()
                .unwrap()
                .uses
                .iter()
                .any(|u| u.readings().any(|r| matches(r, name, false)))
        };
        let glob = "use std::thread::*; async fn f() { sleep(d); }";
        assert!(forbids(glob, "std::thread::sleep"));
        let time_glob = "use std::time::*; fn f() { let s = Instant::now(); }";
        assert!(forbids(time_glob, "std::time::Instant"));
        // An explicit import wins over a glob; a function of the file is not the glob's.
        let explicit =
            "use std::thread::*; use tokio::time::sleep; async fn f() { sleep(d).await; }";
        assert!(!forbids(explicit, "std::thread::sleep"));
        let local = "use std::thread::*; fn sleep() {} fn f() { sleep(); }";
        assert!(!forbids(local, "std::thread::sleep"));
        let in_body = "async fn f() { use std::thread::sleep as nap; nap(d); }";
        assert!(forbids(in_body, "std::thread::sleep"));
        let helper =
            "fn tidy(v: &mut [f64]) { v.sort_by(f64::total_cmp); } fn f() { tidy(&mut v); }";
        assert!(forbids(helper, "sort_by"));
        let nested = "fn a() { b() } fn b() { std::thread::sleep(d) } fn f() { a() }";
        assert!(forbids(nested, "std::thread::sleep"));
        // A helper that calls itself, or calls back, is read once.
        let cycle = "fn a() { b() } fn b() { a() } fn f() { a() }";
        assert!(!forbids(cycle, "sort"));
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

    #[test]
    fn order_keeping_combinators_whose_result_is_kept_are_found() {
        let keeping = |text: &str| {
            uses_in(text, "f")
                .unwrap()
                .unwrap()
                .order_keeping
                .map(|k| k.what)
        };
        let join_all = "async fn f() -> Vec<f64> { let v = join_all(x).await; g(v) }";
        assert_eq!(keeping(join_all).as_deref(), Some("`join_all`"));
        let tail = "async fn f() -> Vec<f64> { futures::future::join_all(x).await }";
        assert_eq!(keeping(tail).as_deref(), Some("`join_all`"));
        let for_loop = "async fn f() { for h in handles { out.push(h.await.unwrap()); } }";
        assert!(keeping(for_loop).is_some_and(|k| k.contains("for")));
        // Dropped results (the futures push into shared state themselves) do not count.
        let dropped = "async fn f() { join_all(x).await; let _ = join_all(y).await; }";
        assert_eq!(keeping(dropped), None);
        let unordered = "async fn f() { let mut set = JoinSet::new(); while let Some(d) = set.join_next().await {} }";
        assert_eq!(keeping(unordered), None);
        // Correct code that lets each future push into shared state, in completion order.
        let shared = "async fn f() -> Vec<f64> { let out = Arc::new(Mutex::new(vec![])); \
                      let results = join_all(futs).await; take(out) }";
        assert_eq!(keeping(shared), None);
        let joined =
            "async fn f() -> Vec<f64> { for h in handles { h.await.unwrap(); } take(out) }";
        assert_eq!(keeping(joined), None);
        let pushed = "async fn f() -> Vec<f64> { for h in handles { let d = h.await.unwrap(); v.push(d); } v }";
        assert!(keeping(pushed).is_some());
    }
}
