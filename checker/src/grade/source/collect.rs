//! What a lesson function uses, resolved: its own body and the helpers it calls in the same
//! crate, through the `use` declarations of each scope (glob imports give a name its other
//! readings).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

use super::order::{OrderFinder, OrderKeeping};

/// A name used in a function body (or in a helper it calls), resolved, with its line.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Use {
    /// Path segments (`["std", "thread", "sleep"]`), or one segment for a method.
    pub(super) path: Vec<String>,
    /// Other readings of the path through glob imports: `sleep` under `use std::thread::*;`
    /// may be `std::thread::sleep`.
    pub(super) alternatives: Vec<Vec<String>>,
    /// Whether it is used as a call: the callee of a call or a method call, or a path passed
    /// as an argument to one (a function value that the callee calls: `.then(wait_random)`).
    /// A path that is only named (`let _f = wait_random;`) is not.
    pub(super) called: bool,
    /// 1-based line.
    pub(super) line: usize,
    /// The helper function it is in, when it is not in the lesson's function itself, and that
    /// helper's file when it is another one.
    pub(super) via: Option<(String, Option<PathBuf>)>,
    /// Whether it is inside a closure given to `spawn_blocking` (or `block_in_place`): it
    /// runs on a blocking thread, not on the executor's.
    pub(super) blocking_thread: bool,
}

impl Use {
    /// Every reading of the path: as written (resolved), then through glob imports.
    pub(super) fn readings(&self) -> impl Iterator<Item = &Vec<String>> {
        std::iter::once(&self.path).chain(&self.alternatives)
    }
}

/// The names a function body uses, with those of the helpers it calls.
pub(super) struct Body {
    pub(super) uses: Vec<Use>,
    pub(super) stub: bool,
    pub(super) line: usize,
    pub(super) order_keeping: Option<OrderKeeping>,
}

/// The `use` declarations of a scope: local name → full path, and glob prefixes.
#[derive(Debug, Clone, Default)]
pub(super) struct Imports {
    pub(super) names: HashMap<String, Vec<String>>,
    pub(super) globs: Vec<Vec<String>>,
}

impl Imports {
    /// The imports of `items` (a file's or a module's).
    pub(super) fn of(items: &[syn::Item]) -> Imports {
        let mut imports = Imports::default();
        for item in items {
            if let syn::Item::Use(item) = item {
                imports.add(&item.tree);
            }
        }
        imports
    }

    pub(super) fn add(&mut self, tree: &syn::UseTree) {
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
pub(super) struct BodyImports(pub(super) Imports);

impl<'ast> Visit<'ast> for BodyImports {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.0.add(&item.tree);
    }
}

/// The free functions of a file (at top level or in inline modules), by name.
pub(super) fn functions(file: &syn::File) -> HashMap<String, syn::ItemFn> {
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
pub(super) struct Module {
    pub(super) imports: Imports,
    pub(super) functions: HashMap<String, syn::ItemFn>,
}

impl Module {
    pub(super) fn of(file: &syn::File) -> Module {
        Module {
            imports: Imports::of(&file.items),
            functions: functions(file),
        }
    }
}

/// Most helper functions followed from one lesson function.
pub(super) const HELPERS_FOLLOWED: usize = 64;

/// Finds the free function `function` in `text` (at top level or in an inline module; methods
/// of an `impl` are not lesson functions) and lists what it uses, following the helpers it
/// calls in the same file and in the crate's modules beside it (`dir`).
pub(super) fn analyze(text: &str, function: &str, dir: Option<&Path>) -> syn::Result<Option<Body>> {
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
pub(super) struct Collected {
    pub(super) uses: Vec<Use>,
    pub(super) stub: bool,
    pub(super) order_keeping: Option<OrderKeeping>,
    /// Helpers it calls: (their file, when another one; their name).
    pub(super) helpers: Vec<(Option<PathBuf>, String)>,
}

pub(super) fn collect(
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

pub(super) struct Collector<'a> {
    pub(super) imports: &'a Imports,
    /// The functions of the file the function is in: calls to them are followed.
    pub(super) local: &'a HashMap<String, syn::ItemFn>,
    pub(super) uses: Vec<Use>,
    /// A `todo!()` or `unimplemented!()` that every call reaches: outside any branch, loop,
    /// closure or nested item, though maybe inside an `async` block (a stream's stub is
    /// `stream::once(async { todo!() })`). Such a body is *not implemented yet*.
    pub(super) stub: bool,
    /// How many branches, loops, closures or items the visit is inside.
    pub(super) conditional: usize,
    /// How many `spawn_blocking` calls the visit is inside.
    pub(super) blocking_thread: usize,
    pub(super) via: Option<(String, Option<PathBuf>)>,
    /// The crate's source folder, where its modules' files are.
    pub(super) dir: Option<&'a Path>,
    pub(super) helpers: Vec<(Option<PathBuf>, String)>,
    pub(super) order_keeping: Option<OrderKeeping>,
    /// The function being read (a call to itself is not a helper).
    pub(super) own: String,
}

impl Collector<'_> {
    pub(super) fn resolve(&self, path: &syn::Path) -> (Vec<String>, Vec<Vec<String>>) {
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
    pub(super) fn follow(&mut self, path: &[String]) {
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
    pub(super) fn visit_args(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
    ) {
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

    pub(super) fn push(
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
pub(super) fn runs_on_blocking_thread(path: &[String]) -> bool {
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
        crate::grade::macro_args::expressions(mac)
            .iter()
            .for_each(|arg| self.visit_expr(arg));
        syn::visit::visit_macro(self, mac);
    }
}

#[cfg(test)]
mod tests;
