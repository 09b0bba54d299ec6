//! A permit that stays in the spawning loop: `let permit = semaphore.acquire_owned().await`
//! in a loop that spawns the work, with the permit never moved into the task. It is dropped
//! at the end of each turn, right after the spawn, so it holds back nothing the task does.
//!
//! Read from the source with syn, with lines, for the diagnosis to name: in the lesson
//! function's body (outside any `async` block or closure), a loop whose body binds the result
//! of an `acquire`, `acquire_owned`, `acquire_many` or `acquire_many_owned` call to a name,
//! then spawns (`tokio::spawn`, `JoinSet::spawn`...) a task that never mentions that name.

use proc_macro2::TokenTree;
use syn::spanned::Spanned;
use syn::visit::Visit;

/// A permit left in the loop: its name and the 1-based line it was acquired at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitLeft {
    /// The name it was bound to.
    pub name: String,
    /// 1-based line of the `let`.
    pub line: usize,
}

const ACQUIRE: &[&str] = &[
    "acquire",
    "acquire_owned",
    "acquire_many",
    "acquire_many_owned",
];

/// The permits `function` in `text` (a Rust file) leaves in a spawning loop, in the order
/// written; empty when the file does not parse or has no such function.
pub fn left_in_loop(text: &str, function: &str) -> Vec<PermitLeft> {
    let Ok(file) = syn::parse_file(text) else {
        return Vec::new();
    };
    let Some(body) = super::captured::body_of(&file, function) else {
        return Vec::new();
    };
    let mut loops = Loops::default();
    loops.visit_block(body);
    loops.found
}

/// Visits the function's own code (not its async blocks and closures) for loops.
#[derive(Default)]
struct Loops {
    found: Vec<PermitLeft>,
}

impl Loops {
    fn body(&mut self, body: &syn::Block) {
        let mut held: Vec<PermitLeft> = Vec::new();
        for stmt in &body.stmts {
            if let syn::Stmt::Local(local) = stmt
                && let syn::Pat::Ident(ident) = strip(&local.pat)
                && let Some(init) = &local.init
                && acquires(&init.expr)
            {
                held.push(PermitLeft {
                    name: ident.ident.to_string(),
                    line: local.span().start().line,
                });
                continue;
            }
            let mut spawns = Spawns::default();
            spawns.visit_stmt(stmt);
            for task in &spawns.tasks {
                held.retain(|permit| {
                    if mentions(task, &permit.name) {
                        return false;
                    }
                    if !self.found.contains(permit) {
                        self.found.push(permit.clone());
                    }
                    true
                });
            }
        }
    }
}

fn strip(pat: &syn::Pat) -> &syn::Pat {
    match pat {
        syn::Pat::Type(typed) => strip(&typed.pat),
        other => other,
    }
}

impl<'ast> Visit<'ast> for Loops {
    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.body(&e.body);
        syn::visit::visit_expr_for_loop(self, e);
    }
    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        self.body(&e.body);
        syn::visit::visit_expr_while(self, e);
    }
    fn visit_expr_loop(&mut self, e: &'ast syn::ExprLoop) {
        self.body(&e.body);
        syn::visit::visit_expr_loop(self, e);
    }
    // What runs elsewhere is not the function's own loop.
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
}

/// Whether `expr` calls an acquire method (outside async blocks and closures).
fn acquires(expr: &syn::Expr) -> bool {
    #[derive(Default)]
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if ACQUIRE.contains(&call.method.to_string().as_str()) {
                self.0 = true;
            }
            syn::visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut finder = Finder::default();
    finder.visit_expr(expr);
    finder.0
}

/// The arguments of every spawn call in a statement: the tasks.
#[derive(Default)]
struct Spawns {
    tasks: Vec<proc_macro2::TokenStream>,
}

impl<'ast> Visit<'ast> for Spawns {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func
            && path
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident.to_string().starts_with("spawn"))
        {
            self.tasks
                .push(quote::ToTokens::to_token_stream(&call.args));
        }
        syn::visit::visit_expr_call(self, call);
    }
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method.to_string().starts_with("spawn") {
            self.tasks
                .push(quote::ToTokens::to_token_stream(&call.args));
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// Whether the identifier `name` occurs in `tokens`.
fn mentions(tokens: &proc_macro2::TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => mentions(&group.stream(), name),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEFT: &str = "async fn f(delays: Vec<f64>, limit: usize) {\n\
        let semaphore = Arc::new(Semaphore::new(limit));\n\
        let mut set = JoinSet::new();\n\
        for delay in delays {\n\
            let _permit = Arc::clone(&semaphore).acquire_owned().await.unwrap();\n\
            set.spawn(async move { sleep(delay).await; });\n\
        }\n\
    }\n";

    #[test]
    fn a_permit_kept_in_the_spawning_loop_is_found_and_a_moved_one_is_not() {
        assert_eq!(
            left_in_loop(LEFT, "f"),
            [PermitLeft {
                name: "_permit".into(),
                line: 5
            }]
        );
        let moved = LEFT.replace(
            "sleep(delay).await;",
            "let _p = _permit; sleep(delay).await;",
        );
        assert_eq!(left_in_loop(&moved, "f"), []);
        // Acquired inside the task: right.
        let inside = "async fn f(s: Arc<Semaphore>) {\n\
            for i in 0..3 {\n\
                let s = s.clone();\n\
                tokio::spawn(async move { let _p = s.acquire().await; });\n\
            }\n\
        }\n";
        assert_eq!(left_in_loop(inside, "f"), []);
        // No spawn in the loop: nothing to hold back.
        let alone = "async fn f(s: Semaphore) {\n\
            loop { let p = s.acquire().await; work().await; }\n\
        }\n";
        assert_eq!(left_in_loop(alone, "f"), []);
        assert_eq!(left_in_loop("fn (", "f"), []);
    }
}
