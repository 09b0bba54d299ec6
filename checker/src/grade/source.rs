//! Checks on the student's source, read with syn: comments and strings never count.
//!
//! A `[[source]]` rule names a function and lists names it must not use (`sort`,
//! `std::thread::sleep`, `BinaryHeap`) and functions it must call (`wait_random`). Paths are
//! resolved through the `use` declarations of the file and of the function body, so
//! `use std::thread; thread::sleep(..)` and `use std::thread::sleep as nap; nap(..)` are both
//! `std::thread::sleep`; a glob import (`use std::thread::*;`) gives a bare `sleep(..)` the
//! reading `std::thread::sleep` too. The rules follow the function into the helper functions it
//! calls in the same crate: in its own file, and in the crate's modules (`crate::util::nap`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

use super::message;
use crate::results::{CaseResult, Reason, Status};
use crate::spec::{Case, SourceRule};

/// A name used in a function body (or in a helper it calls), resolved, with its line.
#[derive(Debug, Clone, PartialEq)]
struct Use {
    /// Path segments (`["std", "thread", "sleep"]`), or one segment for a method.
    path: Vec<String>,
    /// Other readings of the path through glob imports: `sleep` under `use std::thread::*;`
    /// may be `std::thread::sleep`.
    alternatives: Vec<Vec<String>>,
    /// Whether it is used as a call: the callee of a call or a method call, or a path passed
    /// as an argument to one (a function value that the callee calls: `.then(wait_random)`).
    /// A path that is only named (`let _f = wait_random;`) is not.
    called: bool,
    /// 1-based line.
    line: usize,
    /// The helper function it is in, when it is not in the lesson's function itself, and that
    /// helper's file when it is another one.
    via: Option<(String, Option<PathBuf>)>,
    /// Whether it is inside a closure given to `spawn_blocking` (or `block_in_place`): it
    /// runs on a blocking thread, not on the executor's.
    blocking_thread: bool,
}

impl Use {
    /// Every reading of the path: as written (resolved), then through glob imports.
    fn readings(&self) -> impl Iterator<Item = &Vec<String>> {
        std::iter::once(&self.path).chain(&self.alternatives)
    }
}

/// An order-keeping combinator whose result the function keeps: its values come back in the
/// order the work was started, whatever order it finished in.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderKeeping {
    /// What it is, in words (`join_all`, `a for loop awaiting each handle`).
    pub what: String,
    /// 1-based line in the lesson's file.
    pub line: usize,
}

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

/// The names a function body uses, with those of the helpers it calls.
struct Body {
    uses: Vec<Use>,
    stub: bool,
    line: usize,
    order_keeping: Option<OrderKeeping>,
}

/// The `use` declarations of a scope: local name → full path, and glob prefixes.
#[derive(Debug, Clone, Default)]
struct Imports {
    names: HashMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
}

impl Imports {
    /// The imports of `items` (a file's or a module's).
    fn of(items: &[syn::Item]) -> Imports {
        let mut imports = Imports::default();
        for item in items {
            if let syn::Item::Use(item) = item {
                imports.add(&item.tree);
            }
        }
        imports
    }

    fn add(&mut self, tree: &syn::UseTree) {
        fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Imports) {
            match tree {
                syn::UseTree::Path(path) => {
                    prefix.push(path.ident.to_string());
                    walk(&path.tree, prefix, out);
                    prefix.pop();
                }
                syn::UseTree::Name(name) => {
                    let mut full = prefix.clone();
                    full.push(name.ident.to_string());
                    out.names.insert(name.ident.to_string(), full);
                }
                syn::UseTree::Rename(rename) => {
                    let mut full = prefix.clone();
                    full.push(rename.ident.to_string());
                    out.names.insert(rename.rename.to_string(), full);
                }
                syn::UseTree::Group(group) => group.items.iter().for_each(|t| walk(t, prefix, out)),
                syn::UseTree::Glob(_) => out.globs.push(prefix.clone()),
            }
        }
        walk(tree, &mut Vec::new(), self);
    }
}

/// Every `use` inside a function body, wherever it is (they shadow the file's).
struct BodyImports(Imports);

impl<'ast> Visit<'ast> for BodyImports {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.0.add(&item.tree);
    }
}

/// The free functions of a file (at top level or in inline modules), by name.
fn functions(file: &syn::File) -> HashMap<String, syn::ItemFn> {
    struct All(HashMap<String, syn::ItemFn>);
    impl<'ast> Visit<'ast> for All {
        fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
            self.0
                .entry(item.sig.ident.to_string())
                .or_insert_with(|| item.clone());
        }
    }
    let mut all = All(HashMap::new());
    all.visit_file(file);
    all.0
}

/// A parsed file of the crate: its imports and functions.
struct Module {
    imports: Imports,
    functions: HashMap<String, syn::ItemFn>,
}

impl Module {
    fn of(file: &syn::File) -> Module {
        Module {
            imports: Imports::of(&file.items),
            functions: functions(file),
        }
    }
}

/// Most helper functions followed from one lesson function.
const HELPERS_FOLLOWED: usize = 64;

/// Finds the free function `function` in `text` (at top level or in an inline module; methods
/// of an `impl` are not lesson functions) and lists what it uses, following the helpers it
/// calls in the same file and in the crate's modules beside it (`dir`).
fn analyze(text: &str, function: &str, dir: Option<&Path>) -> syn::Result<Option<Body>> {
    let file = syn::parse_file(text)?;
    let lesson = Module::of(&file);
    let Some(item) = lesson.functions.get(function).cloned() else {
        return Ok(None);
    };
    let mut others: HashMap<PathBuf, Option<Module>> = HashMap::new();
    let mut seen: HashSet<(Option<PathBuf>, String)> = HashSet::new();
    seen.insert((None, function.to_string()));
    let mut main = collect(&lesson, &item, None, dir, true);
    let mut queue = main.helpers.split_off(0);
    let mut uses = std::mem::take(&mut main.uses);
    let mut followed = 0;
    while let Some((module_file, name)) = queue.pop() {
        if followed >= HELPERS_FOLLOWED || !seen.insert((module_file.clone(), name.clone())) {
            continue;
        }
        followed += 1;
        let module = match &module_file {
            None => Some(&lesson),
            Some(path) => others
                .entry(path.clone())
                .or_insert_with(|| {
                    let text = std::fs::read_to_string(path).ok()?;
                    syn::parse_file(&text).ok().map(|f| Module::of(&f))
                })
                .as_ref(),
        };
        let Some(helper) = module.and_then(|m| m.functions.get(&name).map(|f| (m, f.clone())))
        else {
            continue;
        };
        let (module, helper) = helper;
        let via = Some((name.clone(), module_file.clone()));
        let mut found = collect(module, &helper, via, dir, false);
        uses.append(&mut found.uses);
        queue.extend(found.helpers);
    }
    Ok(Some(Body {
        uses,
        stub: main.stub,
        line: item.sig.ident.span().start().line,
        order_keeping: main.order_keeping,
    }))
}

/// What [`Collector`] found in one function.
struct Collected {
    uses: Vec<Use>,
    stub: bool,
    order_keeping: Option<OrderKeeping>,
    /// Helpers it calls: (their file, when another one; their name).
    helpers: Vec<(Option<PathBuf>, String)>,
}

fn collect(
    module: &Module,
    item: &syn::ItemFn,
    via: Option<(String, Option<PathBuf>)>,
    dir: Option<&Path>,
    lesson_function: bool,
) -> Collected {
    let mut body_imports = BodyImports(Imports::default());
    body_imports.visit_block(&item.block);
    let mut imports = module.imports.clone();
    imports.names.extend(body_imports.0.names);
    imports.globs.extend(body_imports.0.globs);
    let mut collector = Collector {
        imports: &imports,
        local: &module.functions,
        uses: Vec::new(),
        stub: false,
        conditional: 0,
        blocking_thread: 0,
        via,
        dir,
        helpers: Vec::new(),
        order_keeping: None,
        own: item.sig.ident.to_string(),
    };
    collector.visit_block(&item.block);
    if lesson_function {
        let mut finder = OrderFinder {
            found: Vec::new(),
            binding: None,
        };
        finder.visit_block(&item.block);
        if let Some(syn::Stmt::Expr(tail, None)) = item.block.stmts.last() {
            finder.binding = Some(Vec::new());
            finder.visit_expr(tail);
        }
        collector.order_keeping = finder.kept(&item.block);
    }
    Collected {
        uses: collector.uses,
        stub: collector.stub,
        order_keeping: collector.order_keeping,
        helpers: collector.helpers,
    }
}

struct Collector<'a> {
    imports: &'a Imports,
    /// The functions of the file the function is in: calls to them are followed.
    local: &'a HashMap<String, syn::ItemFn>,
    uses: Vec<Use>,
    /// A `todo!()` or `unimplemented!()` that every call reaches: outside any branch, loop,
    /// closure or nested item, though maybe inside an `async` block (a stream's stub is
    /// `stream::once(async { todo!() })`). Such a body is *not implemented yet*.
    stub: bool,
    /// How many branches, loops, closures or items the visit is inside.
    conditional: usize,
    /// How many `spawn_blocking` calls the visit is inside.
    blocking_thread: usize,
    via: Option<(String, Option<PathBuf>)>,
    /// The crate's source folder, where its modules' files are.
    dir: Option<&'a Path>,
    helpers: Vec<(Option<PathBuf>, String)>,
    order_keeping: Option<OrderKeeping>,
    /// The function being read (a call to itself is not a helper).
    own: String,
}

impl Collector<'_> {
    fn resolve(&self, path: &syn::Path) -> (Vec<String>, Vec<Vec<String>>) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match segments
            .first()
            .and_then(|first| self.imports.names.get(first))
        {
            Some(full) => (
                full.iter()
                    .cloned()
                    .chain(segments.into_iter().skip(1))
                    .collect(),
                Vec::new(),
            ),
            None => {
                let defined_here = segments.len() == 1 && self.local.contains_key(&segments[0]);
                let rooted = segments.first().is_some_and(|s| {
                    matches!(
                        s.as_str(),
                        "crate" | "self" | "super" | "std" | "core" | "alloc"
                    )
                });
                let alternatives = if defined_here || rooted || path.leading_colon.is_some() {
                    Vec::new()
                } else {
                    self.imports
                        .globs
                        .iter()
                        .map(|prefix| prefix.iter().chain(&segments).cloned().collect())
                        .collect()
                };
                (segments, alternatives)
            }
        }
    }

    /// Notes a call of `path` to follow when it names a helper of the crate.
    fn follow(&mut self, path: &[String]) {
        match path {
            [name] if *name != self.own && self.local.contains_key(name) => {
                self.helpers.push((None, name.clone()));
            }
            [root, name] if root == "self" && self.local.contains_key(name) => {
                self.helpers.push((None, name.clone()));
            }
            // A function of another module of the crate: `crate::util::nap`. Lesson modules
            // live in numbered files (`05_wait_random.rs`), so they are not followed: each
            // lesson answers for its own code.
            [root, module, name] if root == "crate" || root == "super" => {
                let Some(dir) = self.dir else { return };
                let file = [
                    dir.join(format!("{module}.rs")),
                    dir.join(module).join("mod.rs"),
                ]
                .into_iter()
                .find(|f| f.is_file());
                if let Some(file) = file {
                    self.helpers.push((Some(file), name.clone()));
                }
            }
            _ => {}
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
            let (resolved, alternatives) = self.resolve(&path.path);
            self.follow(&resolved);
            self.push(resolved, alternatives, true, span);
            for segment in &path.path.segments {
                self.visit_path_arguments(&segment.arguments);
            }
        }
    }

    fn push(
        &mut self,
        path: Vec<String>,
        alternatives: Vec<Vec<String>>,
        called: bool,
        span: proc_macro2::Span,
    ) {
        self.uses.push(Use {
            path,
            alternatives,
            called,
            line: span.start().line,
            via: self.via.clone(),
            blocking_thread: self.blocking_thread > 0,
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

/// Whether a call of `path` runs its argument on a blocking thread.
fn runs_on_blocking_thread(path: &[String]) -> bool {
    path.last()
        .is_some_and(|last| last == "spawn_blocking" || last == "block_in_place")
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
        // A `use` inside the body was read with the body's imports; other items are code.
        if matches!(node, syn::Item::Use(_)) {
            return;
        }
        conditionally!(self, syn::visit::visit_item, node);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let syn::Expr::Path(path) = &*call.func else {
            return syn::visit::visit_expr_call(self, call);
        };
        let (resolved, alternatives) = self.resolve(&path.path);
        let span = path
            .path
            .segments
            .first()
            .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
        self.follow(&resolved);
        let blocking = runs_on_blocking_thread(&resolved);
        self.push(resolved, alternatives, true, span);
        // The path itself is recorded; its generic arguments and the call's arguments are read.
        for segment in &path.path.segments {
            self.visit_path_arguments(&segment.arguments);
        }
        self.blocking_thread += usize::from(blocking);
        self.visit_args(&call.args);
        self.blocking_thread -= usize::from(blocking);
    }

    /// `let _ = value;` drops the value at once (a guard, a permit): recorded as the name
    /// `let _`, which diagnoses can blame.
    fn visit_local(&mut self, local: &'ast syn::Local) {
        let pattern = match &local.pat {
            syn::Pat::Type(typed) => &*typed.pat,
            other => other,
        };
        if let (syn::Pat::Wild(wild), Some(_)) = (pattern, &local.init) {
            self.push(
                vec!["let _".to_string()],
                Vec::new(),
                false,
                wild.underscore_token.span,
            );
        }
        syn::visit::visit_local(self, local);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.push(
            vec![call.method.to_string()],
            Vec::new(),
            true,
            call.method.span(),
        );
        self.visit_expr(&call.receiver);
        if let Some(turbofish) = &call.turbofish {
            self.visit_angle_bracketed_generic_arguments(turbofish);
        }
        let blocking = runs_on_blocking_thread(&[call.method.to_string()]);
        self.blocking_thread += usize::from(blocking);
        self.visit_args(&call.args);
        self.blocking_thread -= usize::from(blocking);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let (resolved, alternatives) = self.resolve(path);
        self.push(
            resolved,
            alternatives,
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
        // Macro arguments are tokens; read those that parse as expressions (join!, vec!) or
        // as `select!`'s branches.
        super::macro_args::expressions(mac)
            .iter()
            .for_each(|arg| self.visit_expr(arg));
        syn::visit::visit_macro(self, mac);
    }
}

/// Names of the combinators that return their futures' results in the order the futures were
/// given, not the order they finished.
const ORDER_KEEPING: &[&str] = &[
    "join_all",
    "try_join_all",
    "join",
    "try_join",
    "FuturesOrdered",
];

/// Finds an order-keeping combinator whose result the function keeps: bound to a name that
/// is used afterwards (`let delays = join_all(..).await; .. delays`) or returned; or a `for`
/// loop that keeps the value of each item it awaits (`out.push(handle.await?)`). Results that
/// are dropped (`join_all(..).await;`, `handle.await.unwrap();`, a name never read again: the
/// futures pushed into shared state themselves, in completion order) do not count.
struct OrderFinder {
    /// Candidates: the names the result is bound to (none when it is returned), and what.
    found: Vec<(Option<Vec<String>>, OrderKeeping)>,
    /// The names bound by the `let` being visited; `Some(vec![])` for a returned value.
    binding: Option<Vec<String>>,
}

impl OrderFinder {
    fn note(&mut self, what: String, span: proc_macro2::Span) {
        if let Some(names) = &self.binding {
            let names = (!names.is_empty()).then(|| names.clone());
            self.found.push((
                names,
                OrderKeeping {
                    what,
                    line: span.start().line,
                },
            ));
        }
    }

    /// The first candidate whose result is read: returned, or bound to a name read later.
    fn kept(self, block: &syn::Block) -> Option<OrderKeeping> {
        self.found
            .into_iter()
            .find_map(|(names, keeping)| match names {
                None => Some(keeping),
                Some(names) => names
                    .iter()
                    .any(|name| {
                        let mut reads = Reads { name, found: false };
                        reads.visit_block(block);
                        reads.found
                    })
                    .then_some(keeping),
            })
    }
}

/// The names a pattern binds, except those that start with `_` (meant to go unused).
fn bound_names(pat: &syn::Pat) -> Vec<String> {
    match pat {
        syn::Pat::Ident(ident) => {
            let name = ident.ident.to_string();
            if name.starts_with('_') {
                Vec::new()
            } else {
                vec![name]
            }
        }
        syn::Pat::Tuple(tuple) => tuple.elems.iter().flat_map(bound_names).collect(),
        syn::Pat::Slice(slice) => slice.elems.iter().flat_map(bound_names).collect(),
        syn::Pat::Type(typed) => bound_names(&typed.pat),
        _ => Vec::new(),
    }
}

/// Whether a block reads a name (as an expression: `delays`, `delays.len()`).
struct Reads<'a> {
    name: &'a str,
    found: bool,
}

impl<'ast> Visit<'ast> for Reads<'_> {
    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if path.path.is_ident(self.name) {
            self.found = true;
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        super::macro_args::expressions(mac)
            .iter()
            .for_each(|arg| self.visit_expr(arg));
    }
}

impl<'ast> Visit<'ast> for OrderFinder {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        let names = bound_names(&local.pat);
        let outer = if names.is_empty() {
            self.binding.take()
        } else {
            self.binding.replace(names)
        };
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.binding = outer;
    }

    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {
        // What a closure does with its own futures is not the function's result.
    }

    fn visit_expr_return(&mut self, node: &'ast syn::ExprReturn) {
        let outer = self.binding.replace(Vec::new());
        syn::visit::visit_expr_return(self, node);
        self.binding = outer;
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(last) = path.segments.last() {
            let name = last.ident.to_string();
            if ORDER_KEEPING.contains(&name.as_str()) {
                self.note(format!("`{name}`"), last.ident.span());
            }
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(last) = mac.path.segments.last() {
            let name = last.ident.to_string();
            if name == "join" || name == "try_join" {
                self.note(format!("`{name}!`"), last.ident.span());
            }
        }
    }

    fn visit_expr_for_loop(&mut self, node: &'ast syn::ExprForLoop) {
        if let syn::Pat::Ident(item) = &*node.pat {
            let mut awaits = KeptAwait {
                name: item.ident.to_string(),
                kept: 0,
                found: false,
            };
            awaits.visit_block(&node.body);
            if awaits.found {
                self.found.push((
                    None,
                    OrderKeeping {
                        what: format!("a `for` loop that awaits each `{}` in turn", item.ident),
                        line: node.for_token.span.start().line,
                    },
                ));
            }
        }
        syn::visit::visit_expr_for_loop(self, node);
    }
}

/// Whether a loop body keeps the value of awaiting its item (`out.push(handle.await?)`,
/// `let d = handle.await?;`), rather than dropping it (`handle.await.unwrap();`).
struct KeptAwait {
    name: String,
    /// How many places that keep a value (a `let` with a name, a call's arguments) the visit
    /// is inside.
    kept: usize,
    found: bool,
}

impl KeptAwait {
    fn keeping<T>(&mut self, keep: bool, node: T, visit: impl FnOnce(&mut Self, T)) {
        self.kept += usize::from(keep);
        visit(self, node);
        self.kept -= usize::from(keep);
    }
}

impl<'ast> Visit<'ast> for KeptAwait {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        let keep = !bound_names(&local.pat).is_empty();
        self.keeping(keep, local, syn::visit::visit_local);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        self.visit_expr(&call.func);
        for arg in &call.args {
            self.keeping(true, arg, Self::visit_expr);
        }
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.visit_expr(&call.receiver);
        for arg in &call.args {
            self.keeping(true, arg, Self::visit_expr);
        }
    }

    fn visit_expr_await(&mut self, node: &'ast syn::ExprAwait) {
        let mut base = &*node.base;
        while let syn::Expr::Paren(inner) = base {
            base = &inner.expr;
        }
        if self.kept > 0
            && let syn::Expr::Path(path) = base
            && path.path.is_ident(&self.name)
        {
            self.found = true;
        }
        syn::visit::visit_expr_await(self, node);
    }
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
