//! The expressions of a spec: each parsed, the names it reads checked against what its key
//! may read, its type checked, and every problem located at its place in the file.

use std::ops::Range;

use toml::Spanned;

use super::Compiler;
use super::toml_to_json;
use crate::expr::{Env, Expr, Type, Value, Vars};
use crate::spec::document::is_placeholder;
use crate::spec::names::{Scope, provided_types, wrong_type};
use crate::spec::raw::RawCase;

/// Longest expression accepted, in bytes: far above any real one, low enough to keep the
/// parser's recursion shallow.
const MAX_EXPRESSION_LEN: usize = 2000;
/// Deepest nesting of brackets accepted in an expression.
const MAX_NESTING: usize = 32;
/// Longest constant duration (a timeout, a tolerance): 30 days. Longer ones would overflow
/// the clocks they are added to.
const MAX_SECONDS: f64 = 30.0 * 86400.0;

impl Compiler<'_, '_> {
    /// Sets the types of the names expressions may read next: the arguments' (a name given
    /// values of different types by different cases may be anything) and the grader's.
    pub(super) fn set_types<'c>(
        &mut self,
        cases: impl Iterator<Item = &'c RawCase>,
        expectations: Vec<String>,
    ) {
        let mut types = provided_types(expectations);
        let mut args: Env = Env::new();
        for case in cases {
            for (name, value) in case.args.iter().flat_map(|a| a.get_ref()) {
                let t = Type::of(&Value::from_json(&toml_to_json(value)));
                args.entry(name.get_ref().clone())
                    .and_modify(|known| {
                        if *known != t {
                            *known = Type::Any;
                        }
                    })
                    .or_insert(t);
            }
        }
        types.extend(args);
        self.types = types;
    }

    /// The file offset of byte `offset` of the string `value` written at `span`: found when
    /// the literal shows the value verbatim (no escapes), else the literal's start.
    pub(super) fn inside(
        &self,
        span: &Range<usize>,
        value: &str,
        offset: usize,
        last: bool,
    ) -> usize {
        let literal = self.locator.text.get(span.clone()).unwrap_or("");
        let found = if value.is_empty() {
            None
        } else if last {
            literal.rfind(value)
        } else {
            literal.find(value)
        };
        match found {
            Some(at) => span.start + at + offset.min(value.len()),
            None => span.start,
        }
    }

    /// Parses the expression `text` of `key`, written at `span`, and checks the names it reads.
    pub(super) fn parse_at(
        &mut self,
        key: &str,
        text: &str,
        span: &Range<usize>,
        args: &[String],
        last: bool,
    ) -> Option<Expr> {
        if let Some(problem) = too_complex(text) {
            self.locator
                .error_at(span.clone(), format!("in `{key}`: {problem}"));
            return None;
        }
        let expr = match Expr::parse(text) {
            Ok(expr) => expr,
            Err(error) => {
                let at = self.inside(span, text, error.offset.unwrap_or(0), last);
                self.locator
                    .error_at(at..at, format!("in `{key}`: {}", error.message));
                return None;
            }
        };
        let scope = Scope::of(key);
        let mut ok = true;
        for (name, offset) in expr.variables() {
            if scope.allows(&name, args) {
                continue;
            }
            ok = false;
            let at = self.inside(span, text, offset, last);
            self.locator
                .error_at(at..at + name.len(), unknown_name(key, &name, scope, args));
        }
        if !ok {
            return None;
        }
        match expr.check_types(&self.types) {
            Err(error) => {
                let at = self.inside(span, text, error.offset.unwrap_or(0), last);
                self.locator
                    .error_at(at..at, format!("in `{key}`: {}", error.message));
                None
            }
            Ok(found) => match wrong_type(key, &found) {
                Some(problem) => {
                    let at = self.inside(span, text, 0, last);
                    self.locator
                        .error_at(at..at + text.len(), format!("in `{key}`: {problem}"));
                    None
                }
                None => Some(expr),
            },
        }
    }

    /// Parses the expression of `key`, a TOML string.
    pub(super) fn expr(
        &mut self,
        key: &str,
        text: &Spanned<String>,
        args: &[String],
    ) -> Option<Expr> {
        if is_placeholder(text) {
            return None;
        }
        self.parse_at(key, text.get_ref(), &text.span(), args, false)
    }

    /// Parses an expression that must be a constant duration (a timeout).
    pub(in crate::spec) fn seconds(
        &mut self,
        key: &str,
        text: Option<&Spanned<String>>,
        default: f64,
    ) -> f64 {
        let Some(text) = text else { return default };
        let Some(expr) = self.expr(key, text, &[]) else {
            return default;
        };
        match expr.eval_number(&Vars::new()) {
            Ok(seconds) if (0.0..=MAX_SECONDS).contains(&seconds) => seconds,
            _ => {
                self.locator.error_at(
                    text.span(),
                    format!("`{key}` must be a duration from 0 to 30 days, such as \"10s\""),
                );
                default
            }
        }
    }
}

fn unknown_name(key: &str, name: &str, scope: Scope, args: &[String]) -> String {
    let mut known: Vec<String> = args.iter().map(|a| format!("`{a}`")).collect();
    known.extend(scope.provided().iter().map(|n| format!("`{n}`")));
    if known.is_empty() {
        format!("in `{key}`: unknown name `{name}`: `{key}` is a constant such as \"5s\"")
    } else {
        format!(
            "in `{key}`: unknown name `{name}` (it may read {})",
            known.join(", ")
        )
    }
}

/// Why an expression is too long or too deeply nested to parse safely, if it is.
fn too_complex(text: &str) -> Option<String> {
    if text.len() > MAX_EXPRESSION_LEN {
        return Some(format!(
            "the expression is {} bytes long; at most {MAX_EXPRESSION_LEN} are allowed",
            text.len()
        ));
    }
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        // Runs of prefix operators (`- - - x`) recurse like brackets do.
        prefix_run = if c == '-' {
            prefix_run + 1
        } else if c.is_whitespace() {
            prefix_run
        } else {
            0
        };
        if depth > MAX_NESTING || prefix_run > MAX_NESTING {
            return Some(format!(
                "the expression nests more than {MAX_NESTING} levels deep"
            ));
        }
    }
    None
}
