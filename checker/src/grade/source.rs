//! Checks on the student's source, read with syn: comments and strings never count.
//!
//! A `[[source]]` rule names a function and lists names it must not use (`sort`,
//! `std::thread::sleep`, `BinaryHeap`) and functions it must call (`wait_random`). Paths are
//! resolved through the file's `use` declarations, so `use std::thread; thread::sleep(..)` and
//! `use std::thread::sleep as nap; nap(..)` are both `std::thread::sleep`.

use std::collections::HashMap;
use std::path::Path;

use syn::visit::Visit;

use crate::results::{CaseResult, Status};
use crate::spec::{Case, SourceRule};

/// A name used in a function body, resolved, with its line.
#[derive(Debug, Clone, PartialEq)]
struct Use {
    /// Path segments (`["std", "thread", "sleep"]`), or one segment for a method.
    path: Vec<String>,
    /// Whether it is used as a call: the callee of a call or a method call, or a path passed
    /// as an argument to one (a function value that the callee calls: `.then(wait_random)`).
    /// A path that is only named (`let _f = wait_random;`) is not.
    called: bool,
    /// 1-based line.
    line: usize,
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
    let body = match uses_in(&text, &case.function) {
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
    let mut problems = Vec::new();
    for forbidden in &rule.forbid {
        if let Some(found) = body
            .uses
            .iter()
            .find(|u| matches(&u.path, forbidden, false))
        {
            problems.push((
                found.line,
                format!(
                    "`{}` uses `{}` ({shown_file}:{})",
                    case.function,
                    found.path.join("::"),
                    found.line
                ),
            ));
        }
    }
    for required in &rule.require {
        if !calls(&body.uses, required) {
            problems.push((
                body.line,
                format!("`{}` never calls `{required}`", case.function),
            ));
        }
    }
    if let Some((line, _)) = problems.first() {
        result.location = Some(format!("{shown_file}:{line}"));
        result.message = problems
            .into_iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>()
            .join("\n");
        result.diagnosis = rule.says.clone();
        return result;
    }
    result.status = Status::Pass;
    result.points = result.max_points;
    result
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
        .and_then(|file| aliases(&file.items).remove(function));
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

/// Whether `function` in `file` uses `name` (matched as a `forbid` rule matches it), as far
/// as its source can be read: the evidence a runtime symptom is weighed against.
pub fn function_uses(file: &Path, function: &str, name: &str) -> bool {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| uses_in(&text, function).ok().flatten())
        .is_some_and(|body| body.uses.iter().any(|u| matches(&u.path, name, false)))
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

/// The names a function body uses.
struct Body {
    uses: Vec<Use>,
    stub: bool,
    line: usize,
}

/// Finds the free function `function` in `text` (at top level or in an inline module; methods
/// of an `impl` are not lesson functions) and lists what it uses.
fn uses_in(text: &str, function: &str) -> syn::Result<Option<Body>> {
    let file = syn::parse_file(text)?;
    let aliases = aliases(&file.items);
    let mut finder = FnFinder {
        name: function,
        found: None,
    };
    finder.visit_file(&file);
    let Some(item) = finder.found else {
        return Ok(None);
    };
    let mut collector = Collector {
        aliases: &aliases,
        uses: Vec::new(),
        stub: false,
        conditional: 0,
    };
    collector.visit_block(&item.block);
    Ok(Some(Body {
        uses: collector.uses,
        stub: collector.stub,
        line: item.sig.ident.span().start().line,
    }))
}

struct FnFinder<'a> {
    name: &'a str,
    found: Option<syn::ItemFn>,
}

impl<'ast> Visit<'ast> for FnFinder<'_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if self.found.is_none() && item.sig.ident == self.name {
            self.found = Some(item.clone());
        }
    }
}

/// `use` declarations of a file: local name → full path.
fn aliases(items: &[syn::Item]) -> HashMap<String, Vec<String>> {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut HashMap<String, Vec<String>>) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                walk(&path.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let mut full = prefix.clone();
                full.push(name.ident.to_string());
                out.insert(name.ident.to_string(), full);
            }
            syn::UseTree::Rename(rename) => {
                let mut full = prefix.clone();
                full.push(rename.ident.to_string());
                out.insert(rename.rename.to_string(), full);
            }
            syn::UseTree::Group(group) => group.items.iter().for_each(|t| walk(t, prefix, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = HashMap::new();
    for item in items {
        if let syn::Item::Use(item) = item {
            walk(&item.tree, &mut Vec::new(), &mut out);
        }
    }
    out
}

struct Collector<'a> {
    aliases: &'a HashMap<String, Vec<String>>,
    uses: Vec<Use>,
    /// A `todo!()` or `unimplemented!()` that every call reaches: outside any branch, loop,
    /// closure or nested item, though maybe inside an `async` block (a stream's stub is
    /// `stream::once(async { todo!() })`). Such a body is *not implemented yet*.
    stub: bool,
    /// How many branches, loops, closures or items the visit is inside.
    conditional: usize,
}

impl Collector<'_> {
    fn resolve(&self, path: &syn::Path) -> Vec<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match segments.first().and_then(|first| self.aliases.get(first)) {
            Some(full) => full
                .iter()
                .cloned()
                .chain(segments.into_iter().skip(1))
                .collect(),
            None => segments,
        }
    }

    /// Reads a call's arguments. A bare path among them is recorded as called: a function
    /// passed by name (`.map(wait_random)`, `.then(f)`) is called by the callee.
    fn visit_args(&mut self, args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>) {
        for arg in args {
            let syn::Expr::Path(path) = arg else {
                self.visit_expr(arg);
                continue;
            };
            let span = path
                .path
                .segments
                .first()
                .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
            self.push(self.resolve(&path.path), true, span);
            for segment in &path.path.segments {
                self.visit_path_arguments(&segment.arguments);
            }
        }
    }

    fn push(&mut self, path: Vec<String>, called: bool, span: proc_macro2::Span) {
        self.uses.push(Use {
            path,
            called,
            line: span.start().line,
        });
    }
}

/// Visits `$node` with `$visit` one level deeper into conditional code.
macro_rules! conditionally {
    ($self:ident, $visit:path, $node:expr) => {{
        $self.conditional += 1;
        $visit($self, $node);
        $self.conditional -= 1;
    }};
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_expr_if(&mut self, node: &'ast syn::ExprIf) {
        conditionally!(self, syn::visit::visit_expr_if, node);
    }

    fn visit_expr_match(&mut self, node: &'ast syn::ExprMatch) {
        conditionally!(self, syn::visit::visit_expr_match, node);
    }

    fn visit_expr_closure(&mut self, node: &'ast syn::ExprClosure) {
        conditionally!(self, syn::visit::visit_expr_closure, node);
    }

    fn visit_expr_while(&mut self, node: &'ast syn::ExprWhile) {
        conditionally!(self, syn::visit::visit_expr_while, node);
    }

    fn visit_expr_for_loop(&mut self, node: &'ast syn::ExprForLoop) {
        conditionally!(self, syn::visit::visit_expr_for_loop, node);
    }

    fn visit_expr_loop(&mut self, node: &'ast syn::ExprLoop) {
        conditionally!(self, syn::visit::visit_expr_loop, node);
    }

    fn visit_item(&mut self, node: &'ast syn::Item) {
        conditionally!(self, syn::visit::visit_item, node);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let syn::Expr::Path(path) = &*call.func else {
            return syn::visit::visit_expr_call(self, call);
        };
        let resolved = self.resolve(&path.path);
        let span = path
            .path
            .segments
            .first()
            .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
        self.push(resolved, true, span);
        // The path itself is recorded; its generic arguments and the call's arguments are read.
        for segment in &path.path.segments {
            self.visit_path_arguments(&segment.arguments);
        }
        self.visit_args(&call.args);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.push(vec![call.method.to_string()], true, call.method.span());
        self.visit_expr(&call.receiver);
        if let Some(turbofish) = &call.turbofish {
            self.visit_angle_bracketed_generic_arguments(turbofish);
        }
        self.visit_args(&call.args);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let resolved = self.resolve(path);
        self.push(
            resolved,
            false,
            path.segments
                .first()
                .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span()),
        );
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if (name == "todo" || name == "unimplemented") && self.conditional == 0 {
            self.stub = true;
        }
        // Macro arguments are tokens; read those that parse as expressions (join!, select!, vec!).
        if let Ok(args) = mac.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) {
            args.iter().for_each(|arg| self.visit_expr(arg));
        }
        syn::visit::visit_macro(self, mac);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
