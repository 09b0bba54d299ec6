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
    /// Whether it is called (a call, a method call) rather than only named.
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
        Ok(None) => {
            result.message = format!("{shown_file} has no function `{}`", case.function);
            return result;
        }
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
        if !body.uses.iter().any(|u| matches(&u.path, required, true)) {
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
    };
    collector.visit_block(&item.block);
    // `todo!()` alone (or with `let _ = ...;` lines) is a stub.
    let stub = collector.stub
        && item.block.stmts.iter().all(|s| {
            matches!(
                s,
                syn::Stmt::Macro(_) | syn::Stmt::Expr(syn::Expr::Macro(_), _) | syn::Stmt::Local(_)
            )
        });
    Ok(Some(Body {
        uses: collector.uses,
        stub,
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
    stub: bool,
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

    fn push(&mut self, path: Vec<String>, called: bool, span: proc_macro2::Span) {
        self.uses.push(Use {
            path,
            called,
            line: span.start().line,
        });
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
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
        call.args.iter().for_each(|arg| self.visit_expr(arg));
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.push(vec![call.method.to_string()], true, call.method.span());
        syn::visit::visit_expr_method_call(self, call);
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
        if name == "todo" || name == "unimplemented" {
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

    #[test]
    fn a_todo_body_is_a_stub() {
        let body = uses_in("fn f() { todo!() }", "f").unwrap().unwrap();
        assert!(body.stub);
        let body = uses_in("fn f() { if x { todo!() } else { y() } }", "f")
            .unwrap()
            .unwrap();
        assert!(!body.stub);
    }
}
