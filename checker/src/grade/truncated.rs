//! Seconds cut to whole ones: `Duration::from_secs(delay as u64)`, where `delay` is a float
//! (the lessons take seconds as `f64`). `from_secs` takes whole seconds, and the cast drops
//! the fraction, so a 2.5 s wait lasts 2 s and a 0.4 s wait none at all. And the other way:
//! `elapsed.as_secs()` reads a duration in whole seconds (7.708 s reads 7).
//!
//! Read from the source with syn, with lines, for the diagnosis to name: every call of a
//! function or method named `from_secs` whose argument is a cast to an integer type of
//! something other than a literal (`x as u64`, `x.round() as u64`, `(x) as _`).

use syn::spanned::Spanned;
use syn::visit::Visit;

/// A cast to whole seconds: its 1-based line and the cast's operand as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WholeSeconds {
    /// 1-based line of the `from_secs` call.
    pub line: usize,
    /// The expression cast, as written (`delay`, `limit.round()`).
    pub operand: String,
}

/// Every `from_secs(<non-literal> as <integer>)` in `text` (a Rust file), in the order
/// written; empty when the file does not parse.
pub fn whole_seconds(text: &str) -> Vec<WholeSeconds> {
    find(text).found
}

/// Every `<duration>.as_secs()` in `text` (a Rust file), the reading of a duration in whole
/// seconds, with its receiver as `operand`; empty when the file does not parse.
pub fn as_secs_readings(text: &str) -> Vec<WholeSeconds> {
    find(text).readings
}

fn find(text: &str) -> Finder {
    let mut finder = Finder::default();
    if let Ok(file) = syn::parse_file(text) {
        finder.visit_file(&file);
    }
    finder
}

#[derive(Default)]
struct Finder {
    found: Vec<WholeSeconds>,
    readings: Vec<WholeSeconds>,
}

/// An expression as written, on one line (`start.elapsed()`).
fn written(expr: &syn::Expr) -> String {
    quote::ToTokens::to_token_stream(expr)
        .to_string()
        .replace(" . ", ".")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
}

impl Finder {
    fn argument(&mut self, line: usize, argument: &syn::Expr) {
        let mut argument = argument;
        while let syn::Expr::Paren(inner) = argument {
            argument = &inner.expr;
        }
        let syn::Expr::Cast(cast) = argument else {
            return;
        };
        let integer = match &*cast.ty {
            syn::Type::Path(path) => path.path.get_ident().is_some_and(|ident| {
                matches!(
                    ident.to_string().as_str(),
                    "u64" | "u32" | "u16" | "u8" | "usize" | "i64" | "i32" | "isize"
                )
            }),
            syn::Type::Infer(_) => true,
            _ => false,
        };
        let mut operand = &*cast.expr;
        while let syn::Expr::Paren(inner) = operand {
            operand = &inner.expr;
        }
        if !integer || matches!(operand, syn::Expr::Lit(_)) {
            return;
        }
        let operand = written(operand);
        self.found.push(WholeSeconds { line, operand });
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func
            && path
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "from_secs")
            && let Some(argument) = call.args.first()
        {
            self.argument(call.span().start().line, argument);
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method == "from_secs"
            && let Some(argument) = call.args.first()
        {
            self.argument(call.method.span().start().line, argument);
        }
        if call.method == "as_secs" && call.args.is_empty() {
            self.readings.push(WholeSeconds {
                line: call.method.span().start().line,
                operand: written(&call.receiver),
            });
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Inside `select!`, `join!`...: read the tokens as expressions where they parse.
        for expr in &super::macro_args::expressions(mac) {
            self.visit_expr(expr);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_float_cast_to_whole_seconds_is_found_with_its_line() {
        let text = "use std::time::Duration;\n\
                    async fn f(delay: f64, n: u64) {\n\
                    \x20   tokio::time::sleep(Duration::from_secs(delay as u64)).await;\n\
                    \x20   let d = Duration::from_secs((delay.round()) as _);\n\
                    \x20   let ok = Duration::from_secs_f64(delay);\n\
                    \x20   let fine = Duration::from_secs(n);\n\
                    \x20   let lit = Duration::from_secs(2.0 as u64);\n\
                    }\n";
        assert_eq!(
            whole_seconds(text),
            [
                WholeSeconds {
                    line: 3,
                    operand: "delay".into()
                },
                WholeSeconds {
                    line: 4,
                    operand: "delay.round()".into()
                },
            ]
        );
        assert_eq!(whole_seconds("not rust {"), []);
        let reading = "fn f(start: Instant) -> u64 {\n    start.elapsed().as_secs() + d.as_secs_f64() as u64\n}\n";
        assert_eq!(
            as_secs_readings(reading),
            [WholeSeconds {
                line: 2,
                operand: "start.elapsed()".into()
            }]
        );
    }
}
