//! The small expression language of specs: bounds, expected times, diagnoses, assertions.
//!
//! ```text
//! 0 ..= max_delay            a range (also `a .. b`)
//! max(result)                functions: len max min sum mean abs floor ceil round ...
//! len(names) * 1s            durations: 1s 250ms 2min 10us (all in seconds)
//! elapsed ~ sum(result)      about equal: within one tick (1 ms) or 1 %, whichever is larger
//! 0 <= x <= max_delay        comparisons chain; and / or / not
//! arrivals[0] < 0.5s         indexing from 0; `[1, 2]` a list; `(i + 1) % n` modulo
//! all(s in 0 .. n, count(l in lines, parse(split(l)[0]) == s) == meals)
//!                            quantifiers bind a name: all any count sum min max
//! failed.elapsed             a field: which expectations a call failed
//! ```
//! Numbers are f64; times are seconds. See `docs/specs.md` for the names each key provides.
//!
//! - `parse`: text to a syntax tree whose nodes keep their spans;
//! - `types`: the type check `checker validate` runs, with the place of each error;
//! - `eval`: the value of a tree, and why a condition is false;
//! - `functions`: what each function does.

mod eval;
mod functions;
mod parse;
mod types;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::text::numbers::format_number;
use parse::{Kind, Node};

pub use eval::Why;
pub use functions::{FUNCTIONS, FormatError, QUANTIFIERS, format_text};
pub use types::{Env, Type};

/// A value an expression evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number (times are seconds).
    Num(f64),
    /// A truth value.
    Bool(bool),
    /// Text (a returned string, an argument).
    Text(String),
    /// A list of values.
    List(Vec<Value>),
    /// A range of numbers.
    Range {
        /// Lower bound (inclusive).
        low: f64,
        /// Upper bound.
        high: f64,
        /// Whether `high` is included (`..=`).
        inclusive: bool,
    },
    /// Nothing (a function returning `()`).
    Null,
    /// Named values (`failed`: which expectations a call failed).
    Record(BTreeMap<String, Value>),
}

impl Value {
    /// Converts JSON (arguments, returned values) to a value.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::Text(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(_) => Value::Text(json.to_string()),
        }
    }

    /// The numbers of a list (or the number itself), if it holds only numbers.
    pub fn numbers(&self) -> Option<Vec<f64>> {
        match self {
            Value::Num(n) => Some(vec![*n]),
            Value::List(items) => items
                .iter()
                .map(|v| match v {
                    Value::Num(n) => Some(*n),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Num(_) => "a number",
            Value::Bool(_) => "true/false",
            Value::Text(_) => "text",
            Value::List(_) => "a list",
            Value::Range { .. } => "a range",
            Value::Null => "nothing (the function returns ())",
            Value::Record(_) => "a record",
        }
    }

    /// Whether a range contains `x`.
    pub fn contains(&self, x: f64) -> Option<bool> {
        match *self {
            Value::Range {
                low,
                high,
                inclusive,
            } => Some(x >= low && if inclusive { x <= high } else { x < high }),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(n) => write!(f, "{}", format_number(*n)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    if i == 8 && items.len() > 10 {
                        return write!(f, "… {} more]", items.len() - 8);
                    }
                    write!(f, "{item}")?;
                }
                write!(f, "]")
            }
            Value::Range {
                low,
                high,
                inclusive,
            } => {
                let op = if *inclusive { "..=" } else { ".." };
                write!(f, "{} {op} {}", format_number(*low), format_number(*high))
            }
            Value::Null => write!(f, "()"),
            Value::Record(fields) => {
                write!(f, "{{")?;
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{name}: {value}")?;
                }
                write!(f, "}}")
            }
        }
    }
}

/// Why an expression could not be parsed or evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    /// What went wrong.
    pub message: String,
    /// Byte offset in the expression text, when known.
    pub offset: Option<usize>,
}

fn error<T>(message: impl Into<String>, offset: Option<usize>) -> Result<T, ExprError> {
    Err(ExprError {
        message: message.into(),
        offset,
    })
}

/// A parsed expression with its source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    text: String,
    root: Node,
}

impl Expr {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Expr, ExprError> {
        Ok(Expr {
            text: text.to_string(),
            root: parse::parse(text)?,
        })
    }

    /// The text it was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The names it reads, with their offsets (not the names its quantifiers bind).
    pub fn variables(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        free_variables(&self.root, &mut Vec::new(), &mut out);
        out
    }

    /// The fields of `record` it reads (`failed.neighbours`), with their offsets.
    pub fn fields_of(&self, record: &str) -> Vec<(String, usize)> {
        fn walk(node: &Node, record: &str, out: &mut Vec<(String, usize)>) {
            if let Kind::Field(inner, field) = &node.kind
                && matches!(&inner.kind, Kind::Var(name) if name == record)
            {
                out.push((field.clone(), node.span.start));
            }
            children(node, &mut |child| walk(child, record, out));
        }
        let mut out = Vec::new();
        walk(&self.root, record, &mut out);
        out
    }

    /// Whether the top of the expression is a range (`a ..= b`).
    pub fn is_range(&self) -> bool {
        matches!(self.root.kind, Kind::Range(..))
    }

    /// Checks its types, given the types of the names it reads (a name not in `env` may be
    /// anything); returns its type, or the first type error with its offset.
    pub fn check_types(&self, env: &Env) -> Result<Type, ExprError> {
        types::check(&self.root, &self.text, env)
    }

    /// Evaluates it with the given variables.
    pub fn eval(&self, vars: &Vars) -> Result<Value, ExprError> {
        eval::eval_root(&self.root, vars)
    }

    /// Why it is false with `vars`: the items its `all` quantifiers were at, the part that is
    /// false and the values that part compared.
    pub fn why_false(&self, vars: &Vars) -> Why {
        eval::why_false_root(&self.root, &self.text, vars)
    }

    /// Evaluates it to a number.
    pub fn eval_number(&self, vars: &Vars) -> Result<f64, ExprError> {
        match self.eval(vars)? {
            Value::Num(n) => Ok(n),
            other => error(
                format!("`{}` is {}, not a number", self.text, other.type_name()),
                None,
            ),
        }
    }

    /// Evaluates it to true or false.
    pub fn eval_bool(&self, vars: &Vars) -> Result<bool, ExprError> {
        match self.eval(vars)? {
            Value::Bool(b) => Ok(b),
            other => error(
                format!("`{}` is {}, not true/false", self.text, other.type_name()),
                None,
            ),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Calls `visit` on each child of `node`.
fn children(node: &Node, visit: &mut dyn FnMut(&Node)) {
    match &node.kind {
        Kind::Num(_) | Kind::Bool(_) | Kind::Text(_) | Kind::Var(_) => {}
        Kind::List(items) | Kind::Call(_, items) => items.iter().for_each(visit),
        Kind::Quant { over, body, .. } => {
            visit(over);
            visit(body);
        }
        Kind::Index(a, b) | Kind::Bin(_, a, b) | Kind::Range(a, b, _) => {
            visit(a);
            visit(b);
        }
        Kind::Field(a, _) | Kind::Neg(a) | Kind::Not(a) => visit(a),
        Kind::Cmp(first, rest) => {
            visit(first);
            rest.iter().for_each(|(_, n)| visit(n));
        }
    }
}

/// The names `node` reads that no enclosing quantifier of it binds (`bound`).
fn free_variables(node: &Node, bound: &mut Vec<String>, out: &mut Vec<(String, usize)>) {
    match &node.kind {
        Kind::Var(name) if !bound.contains(name) => out.push((name.clone(), node.span.start)),
        Kind::Quant {
            binder, over, body, ..
        } => {
            free_variables(over, bound, out);
            let names = binder.names();
            bound.extend(names.iter().map(|n| n.to_string()));
            free_variables(body, bound, out);
            bound.truncate(bound.len() - names.len());
        }
        _ => children(node, &mut |child| free_variables(child, bound, out)),
    }
}
/// Variables an expression can read, layered: inner scopes shadow outer ones.
#[derive(Debug, Default, Clone)]
pub struct Vars<'a> {
    values: HashMap<String, Value>,
    parent: Option<&'a Vars<'a>>,
}

impl<'a> Vars<'a> {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope inside `parent`.
    pub fn inside(parent: &'a Vars<'a>) -> Self {
        Self {
            values: HashMap::new(),
            parent: Some(parent),
        }
    }

    /// Sets a variable.
    pub fn set(&mut self, name: &str, value: Value) {
        self.values.insert(name.to_string(), value);
    }

    /// Reads a variable.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values
            .get(name)
            .or_else(|| self.parent.and_then(|p| p.get(name)))
    }
}

/// Within one tick (1 ms) or 1 %, whichever is larger: the meaning of `~`.
pub fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() <= f64::max(0.001, 0.01 * b.abs()) + 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_with(text: &str, vars: &[(&str, Value)]) -> Result<Value, ExprError> {
        let mut scope = Vars::new();
        for (name, value) in vars {
            scope.set(name, value.clone());
        }
        Expr::parse(text)?.eval(&scope)
    }

    fn list(values: &[f64]) -> Value {
        Value::List(values.iter().map(|v| Value::Num(*v)).collect())
    }

    #[test]
    fn durations_are_seconds() {
        assert_eq!(eval_with("1s + 250ms", &[]), Ok(Value::Num(1.25)));
        assert_eq!(eval_with("2min", &[]), Ok(Value::Num(120.0)));
        assert!(Expr::parse("3 parsecs").is_err());
    }

    #[test]
    fn ranges_evaluate_their_bounds() {
        let range = eval_with("0 ..= max_delay", &[("max_delay", Value::Num(10.0))]).unwrap();
        assert_eq!(range.contains(10.0), Some(true));
        assert_eq!(range.contains(10.001), Some(false));
        let open = eval_with("0 .. 10", &[]).unwrap();
        assert_eq!(open.contains(10.0), Some(false));
    }

    #[test]
    fn functions_over_lists() {
        let vars = [("result", list(&[3.0, 1.0, 2.0]))];
        assert_eq!(eval_with("max(result)", &vars), Ok(Value::Num(3.0)));
        assert_eq!(
            eval_with("sum(result) / len(result)", &vars),
            Ok(Value::Num(2.0))
        );
        assert_eq!(eval_with("result[1]", &vars), Ok(Value::Num(1.0)));
        assert!(eval_with("result[3]", &vars).is_err());
        assert!(eval_with("max(list_that_is_not_there)", &vars).is_err());
    }

    #[test]
    fn comparisons_chain() {
        let x = [("x", Value::Num(5.0))];
        assert_eq!(eval_with("0 <= x <= 10", &x), Ok(Value::Bool(true)));
        assert_eq!(eval_with("0 <= x <= 4", &x), Ok(Value::Bool(false)));
        assert_eq!(
            eval_with("x in 0 ..= 5 and not x > 5", &x),
            Ok(Value::Bool(true))
        );
        let uses = [(
            "uses",
            Value::List(vec![
                Value::Text("spawn".into()),
                Value::Text("sleep".into()),
            ]),
        )];
        assert_eq!(eval_with("'spawn' in uses", &uses), Ok(Value::Bool(true)));
        assert_eq!(
            eval_with("not ('block_on' in uses)", &uses),
            Ok(Value::Bool(true))
        );
    }

    #[test]
    fn approx_allows_one_tick_or_one_percent() {
        assert_eq!(eval_with("0.0509 ~ 0.05", &[]), Ok(Value::Bool(true)));
        assert_eq!(eval_with("0.0525 ~ 0.05", &[]), Ok(Value::Bool(false)));
        assert_eq!(eval_with("100.9 ~ 100", &[]), Ok(Value::Bool(true)));
        assert_eq!(eval_with("102 ~ 100", &[]), Ok(Value::Bool(false)));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let err = Expr::parse("max(result").unwrap_err();
        assert!(err.message.contains("expected `)`"), "{err:?}");
        let err = Expr::parse("maxx(result)").unwrap_err();
        assert_eq!(err.offset, Some(0));
        assert!(err.message.contains("unknown function"));
        let err = Expr::parse("1 + * 2").unwrap_err();
        assert_eq!(err.offset, Some(4));
    }

    #[test]
    fn variables_are_listed() {
        let expr = Expr::parse("elapsed ~ sum(result) * n").unwrap();
        let names: Vec<_> = expr.variables().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["elapsed", "result", "n"]);
    }

    #[test]
    fn numbers_format_briefly() {
        assert_eq!(format_number(9.8), "9.8");
        assert_eq!(format_number(10.0), "10");
        assert_eq!(format_number(0.0004), "0");
        assert_eq!(format_number(23.4567), "23.457");
    }
}
