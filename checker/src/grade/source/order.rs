//! Order-keeping combinators whose result a lesson function keeps (`join_all`, a `for` loop
//! awaiting each handle): their values come back in the order the work was started.

use syn::visit::Visit;

/// An order-keeping combinator whose result the function keeps: its values come back in the
/// order the work was started, whatever order it finished in.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderKeeping {
    /// What it is, in words (`join_all`, `a for loop awaiting each handle`).
    pub what: String,
    /// 1-based line in the lesson's file.
    pub line: usize,
}

/// Names of the combinators that return their futures' results in the order the futures were
/// given, not the order they finished.
pub(super) const ORDER_KEEPING: &[&str] = &[
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
pub(super) struct OrderFinder {
    /// Candidates: the names the result is bound to (none when it is returned), and what.
    pub(super) found: Vec<(Option<Vec<String>>, OrderKeeping)>,
    /// The names bound by the `let` being visited; `Some(vec![])` for a returned value.
    pub(super) binding: Option<Vec<String>>,
}

impl OrderFinder {
    pub(super) fn note(&mut self, what: String, span: proc_macro2::Span) {
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
    pub(super) fn kept(self, block: &syn::Block) -> Option<OrderKeeping> {
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
pub(super) fn bound_names(pat: &syn::Pat) -> Vec<String> {
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
pub(super) struct Reads<'a> {
    pub(super) name: &'a str,
    pub(super) found: bool,
}

impl<'ast> Visit<'ast> for Reads<'_> {
    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if path.path.is_ident(self.name) {
            self.found = true;
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        crate::grade::macro_args::expressions(mac)
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
pub(super) struct KeptAwait {
    pub(super) name: String,
    /// How many places that keep a value (a `let` with a name, a call's arguments) the visit
    /// is inside.
    pub(super) kept: usize,
    pub(super) found: bool,
}

impl KeptAwait {
    pub(super) fn keeping<T>(&mut self, keep: bool, node: T, visit: impl FnOnce(&mut Self, T)) {
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
    use crate::grade::source::collect::analyze;

    #[test]
    fn order_keeping_combinators_whose_result_is_kept_are_found() {
        let keeping = |text: &str| {
            analyze(text, "f", None)
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
