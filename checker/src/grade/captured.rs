//! Flags a task cannot see: a plain local (`let mut stopping = false;`) that an `async move`
//! block or a `move` closure reads, and that the function assigns again after that block.
//!
//! The block took its own copy when it was made (a `bool` or a number is `Copy`), so the
//! later assignment changes the function's copy only: the task never sees the new value.
//! This is read from the source with syn, with lines, for the diagnosis to name.

use syn::visit::Visit;

/// A local whose later assignment a `move` block cannot see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedLocal {
    /// Its name.
    pub name: String,
    /// 1-based line of its `let`.
    pub declared: usize,
    /// 1-based line of the `move` block that reads it.
    pub captured: usize,
    /// 1-based line of an assignment after that block, outside it.
    pub assigned: usize,
}

/// The body of the free function `function` at the top of `file`, if there is one.
pub fn body_of<'a>(file: &'a syn::File, function: &str) -> Option<&'a syn::Block> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Fn(f) if f.sig.ident == function => Some(&*f.block),
        _ => None,
    })
}

/// The copied locals of `function` in `text` (a Rust file), in the order declared; empty when
/// the file does not parse or has no such function.
pub fn copied_locals(text: &str, function: &str) -> Vec<CopiedLocal> {
    let Ok(file) = syn::parse_file(text) else {
        return Vec::new();
    };
    let Some(body) = body_of(&file, function) else {
        return Vec::new();
    };
    // `let mut NAME = <literal>;` at the top of the body: a Copy value.
    let mut locals = Vec::new();
    for stmt in &body.stmts {
        if let syn::Stmt::Local(local) = stmt
            && let syn::Pat::Ident(ident) = &local.pat
            && ident.mutability.is_some()
            && let Some(init) = &local.init
            && matches!(&*init.expr, syn::Expr::Lit(_))
        {
            locals.push((ident.ident.to_string(), line_of(ident.ident.span())));
        }
    }
    let mut found = Vec::new();
    for (name, declared) in locals {
        let mut scan = Scan {
            name: &name,
            in_move: 0,
            captured: None,
            assigned: None,
        };
        scan.visit_block(body);
        if let (Some(captured), Some(assigned)) = (scan.captured, scan.assigned) {
            found.push(CopiedLocal {
                name,
                declared,
                captured,
                assigned,
            });
        }
    }
    found
}

fn line_of(span: proc_macro2::Span) -> usize {
    span.start().line
}

/// Looks for one name: its first read inside a `move` block, then an assignment outside one.
struct Scan<'n> {
    name: &'n str,
    in_move: usize,
    captured: Option<usize>,
    assigned: Option<usize>,
}

impl<'ast> Visit<'ast> for Scan<'_> {
    fn visit_expr_async(&mut self, node: &'ast syn::ExprAsync) {
        let moving = node.capture.is_some();
        self.in_move += usize::from(moving);
        syn::visit::visit_expr_async(self, node);
        self.in_move -= usize::from(moving);
    }

    fn visit_expr_closure(&mut self, node: &'ast syn::ExprClosure) {
        let moving = node.capture.is_some();
        self.in_move += usize::from(moving);
        syn::visit::visit_expr_closure(self, node);
        self.in_move -= usize::from(moving);
    }

    fn visit_expr_path(&mut self, node: &'ast syn::ExprPath) {
        if self.in_move > 0 && self.captured.is_none() && node.path.is_ident(self.name) {
            self.captured = node.path.get_ident().map(|i| line_of(i.span()));
        }
        syn::visit::visit_expr_path(self, node);
    }

    fn visit_expr_assign(&mut self, node: &'ast syn::ExprAssign) {
        if self.in_move == 0
            && self.captured.is_some()
            && self.assigned.is_none()
            && let syn::Expr::Path(path) = &*node.left
            && path.path.is_ident(self.name)
        {
            self.assigned = path.path.get_ident().map(|i| line_of(i.span()));
        }
        // The right side may read the name; the left side is not a read.
        self.visit_expr(&node.right);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_read_in_a_move_block_and_set_after_it_is_found_with_its_lines() {
        let text = "\
async fn f(jobs: Vec<f64>) {
    let mut halt = false;
    let worker = tokio::spawn(async move {
        for job in jobs {
            if halt { break; }
        }
    });
    sleep(d).await;
    halt = true;
    worker.await;
}";
        assert_eq!(
            copied_locals(text, "f"),
            [CopiedLocal {
                name: "halt".into(),
                declared: 2,
                captured: 5,
                assigned: 9,
            }]
        );
    }

    #[test]
    fn shared_flags_and_flags_never_set_again_are_not_copies() {
        // Set before the block: the block copies the new value.
        let before = "fn f() { let mut a = 1; a = 2; let t = move || a; }";
        assert!(copied_locals(before, "f").is_empty());
        // A block without `move` borrows it (the compiler decides what that allows).
        let borrowed = "fn f() { let mut a = 1; let t = || a; a = 2; }";
        assert!(copied_locals(borrowed, "f").is_empty());
        // A shared flag (`Arc<AtomicBool>`) is not a literal.
        let shared = "fn f() { let mut s = Arc::new(AtomicBool::new(false)); let t = async move { s.load(O) }; s = x; }";
        assert!(copied_locals(shared, "f").is_empty());
        // Never assigned after the block: nothing is lost.
        let read_only = "fn f() { let mut a = 1; let t = async move { a }; }";
        assert!(copied_locals(read_only, "f").is_empty());
    }
}
