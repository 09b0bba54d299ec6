//! Evaluation of a syntax tree with the variables of a call, and the explanation of a
//! condition that is false: which items the quantifiers were at, which part is false, and
//! the values it read.

use super::functions::{self, items};
use super::parse::{BinOp, Binder, CmpOp, Kind, Node};
use super::{ExprError, Value, Vars, approx, error};
use crate::text::numbers::format_number;

/// Most items the quantifiers of one evaluation may visit, nested ones multiplied: above what
/// a spec over a call's values needs (a thousand lines, each against those before it, is half
/// a million), low enough that a mistaken bound (`all(i in 0 .. 1e6, all(j in 0 .. 1e6,
/// ...))`) ends in an error within a second or two, not in a checker that never finishes.
pub const MAX_STEPS: u64 = 1_000_000;

thread_local! {
    /// Items visited by the quantifiers of the evaluation running on this thread.
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Evaluates a whole expression: the quantifiers' budget starts afresh.
pub(super) fn eval_root(node: &Node, vars: &Vars) -> Result<Value, ExprError> {
    STEPS.with(|steps| steps.set(0));
    eval(node, vars)
}

/// Counts one item visited by a quantifier; an error past [`MAX_STEPS`].
fn step(offset: usize) -> Result<(), ExprError> {
    let steps = STEPS.with(|steps| {
        steps.set(steps.get() + 1);
        steps.get()
    });
    if steps > MAX_STEPS {
        return error(
            format!(
                "the quantifiers visited more than {MAX_STEPS} items: narrow what they range over"
            ),
            Some(offset),
        );
    }
    Ok(())
}

fn eval(node: &Node, vars: &Vars) -> Result<Value, ExprError> {
    let at = Some(node.span.start);
    Ok(match &node.kind {
        Kind::Num(n) => Value::Num(*n),
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Text(s) => Value::Text(s.clone()),
        Kind::Var(name) => match vars.get(name) {
            Some(value) => value.clone(),
            None => return error(format!("unknown name `{name}`"), at),
        },
        Kind::List(items) => Value::List(
            items
                .iter()
                .map(|item| eval(item, vars))
                .collect::<Result<_, _>>()?,
        ),
        Kind::Neg(inner) => Value::Num(-number(eval(inner, vars)?, "-", inner)?),
        Kind::Not(inner) => Value::Bool(!boolean(eval(inner, vars)?, "not", inner)?),
        Kind::Bin(BinOp::And, a, b) => {
            Value::Bool(boolean(eval(a, vars)?, "and", a)? && boolean(eval(b, vars)?, "and", b)?)
        }
        Kind::Bin(BinOp::Or, a, b) => {
            Value::Bool(boolean(eval(a, vars)?, "or", a)? || boolean(eval(b, vars)?, "or", b)?)
        }
        Kind::Bin(op, a, b) => {
            let symbol = op.symbol();
            let (x, y) = (
                number(eval(a, vars)?, symbol, a)?,
                number(eval(b, vars)?, symbol, b)?,
            );
            Value::Num(match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                // Euclidean: `(i - 1) % n` is n - 1 for i = 0, the seat to the left.
                BinOp::Rem => x.rem_euclid(y),
                _ => x / y,
            })
        }
        Kind::Range(low, high, inclusive) => Value::Range {
            low: number(eval(low, vars)?, "..", low)?,
            high: number(eval(high, vars)?, "..", high)?,
            inclusive: *inclusive,
        },
        Kind::Index(list, index) => {
            let position = number(eval(index, vars)?, "[]", index)?;
            match eval(list, vars)? {
                Value::List(items) => {
                    let len = items.len();
                    items
                        .into_iter()
                        .nth(position.max(0.0) as usize)
                        .filter(|_| position >= 0.0 && position.fract() == 0.0)
                        .ok_or_else(|| ExprError {
                            message: format!(
                                "index {} is past the end of a list of {len} (indexes count from 0)",
                                format_number(position)
                            ),
                            offset: Some(index.span.start),
                        })?
                }
                other => return error(format!("cannot index {}", other.type_name()), at),
            }
        }
        Kind::Field(record, field) => match eval(record, vars)? {
            Value::Record(fields) => match fields.get(field) {
                Some(value) => value.clone(),
                None => {
                    let known: Vec<&str> = fields.keys().map(String::as_str).collect();
                    return error(
                        format!("no `{field}` here (there are: {})", known.join(", ")),
                        at,
                    );
                }
            },
            other => return error(format!("{} has no `.{field}`", other.type_name()), at),
        },
        Kind::Cmp(first, rest) => {
            let mut left = eval(first, vars)?;
            for (op, node) in rest {
                let right = eval(node, vars)?;
                if !compare(*op, &left, &right, node)? {
                    return Ok(Value::Bool(false));
                }
                left = right;
            }
            Value::Bool(true)
        }
        Kind::Call(name, args) => {
            let values = args
                .iter()
                .map(|a| eval(a, vars))
                .collect::<Result<Vec<_>, _>>()?;
            functions::call(name, &values, node.span.start)?
        }
        Kind::Quant {
            name,
            binder,
            over,
            body,
        } => quantify(name, binder, over, body, vars, node.span.start)?,
    })
}

/// Binds the names of `binder` to `item` in `scope`.
fn bind(binder: &Binder, item: &Value, scope: &mut Vars, offset: usize) -> Result<(), ExprError> {
    match binder {
        Binder::One(name) => scope.set(name, item.clone()),
        Binder::Many(names) => match item {
            Value::List(parts) if parts.len() == names.len() => {
                for (name, part) in names.iter().zip(parts) {
                    scope.set(name, part.clone());
                }
            }
            other => {
                return error(
                    format!(
                        "[{}] takes a list of {} items, not {other}",
                        names.join(", "),
                        names.len()
                    ),
                    Some(offset),
                );
            }
        },
    }
    Ok(())
}

fn quantify(
    name: &str,
    binder: &Binder,
    over: &Node,
    body: &Node,
    vars: &Vars,
    offset: usize,
) -> Result<Value, ExprError> {
    let items = items(eval(over, vars)?, over.span.start)?;
    let mut numbers = Vec::new();
    let mut count = 0usize;
    for item in &items {
        step(offset)?;
        let mut scope = Vars::inside(vars);
        bind(binder, item, &mut scope, offset)?;
        let value = eval(body, &scope)?;
        match name {
            "all" | "any" | "count" => {
                let holds = boolean(value, name, body)?;
                match (name, holds) {
                    ("all", false) => return Ok(Value::Bool(false)),
                    ("any", true) => return Ok(Value::Bool(true)),
                    _ => count += usize::from(holds),
                }
            }
            _ => numbers.push(number(value, name, body)?),
        }
    }
    Ok(match name {
        "all" => Value::Bool(true),
        "any" => Value::Bool(false),
        "count" => Value::Num(count as f64),
        "sum" => Value::Num(numbers.iter().sum()),
        _ => {
            let pick = if name == "min" { f64::min } else { f64::max };
            match numbers.into_iter().reduce(pick) {
                Some(n) => Value::Num(n),
                None => return error(format!("`{name}` over no items"), Some(offset)),
            }
        }
    })
}

fn number(value: Value, op: &str, node: &Node) -> Result<f64, ExprError> {
    match value {
        Value::Num(n) => Ok(n),
        other => error(
            format!("`{op}` needs a number, not {}", other.type_name()),
            Some(node.span.start),
        ),
    }
}

fn boolean(value: Value, op: &str, node: &Node) -> Result<bool, ExprError> {
    match value {
        Value::Bool(b) => Ok(b),
        other => error(
            format!("`{op}` needs true/false, not {}", other.type_name()),
            Some(node.span.start),
        ),
    }
}

fn compare(op: CmpOp, left: &Value, right: &Value, node: &Node) -> Result<bool, ExprError> {
    if op == CmpOp::In {
        // A text in a list of texts (`'spawn' in uses`); a number in a list or a range.
        if let (Value::Text(_), Value::List(items)) = (left, right) {
            return Ok(items.iter().any(|v| v == left));
        }
        let x = number(left.clone(), "in", node)?;
        return match right {
            Value::List(items) => Ok(items.iter().any(|v| v == left)),
            range => range.contains(x).ok_or_else(|| ExprError {
                message: "`in` needs a range or a list on its right".into(),
                offset: Some(node.span.start),
            }),
        };
    }
    if let (CmpOp::Eq | CmpOp::Ne, false) =
        (op, matches!((left, right), (Value::Num(_), Value::Num(_))))
    {
        return Ok((left == right) == (op == CmpOp::Eq));
    }
    let (a, b) = (
        number(left.clone(), "comparison", node)?,
        number(right.clone(), "comparison", node)?,
    );
    Ok(match op {
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Approx => approx(a, b),
        CmpOp::In => unreachable!("handled above"),
    })
}

/// Why a condition is false, found by evaluating its parts again.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    /// The items the `all` quantifiers were at when their condition failed, outermost first
    /// (`j = 3`, `k = 4`).
    pub at: Vec<(String, Value)>,
    /// The smallest part that is false, as written (`abs(t[j] - t[k]) >= 1s`).
    pub part: String,
    /// The values it compared or read, each with its text (`abs(t[j] - t[k])` = 0.5).
    pub values: Vec<(String, Value)>,
}

/// Explains why a whole expression is false: the quantifiers' budget starts afresh.
pub(super) fn why_false_root(node: &Node, text: &str, vars: &Vars) -> Why {
    STEPS.with(|steps| steps.set(0));
    why_false(node, text, vars, &[])
}

/// Explains why `node` (of the expression `text`) is false with `vars`; `bound` holds the
/// names the enclosing quantifiers bound, which `at` shows already.
pub(super) fn why_false(node: &Node, text: &str, vars: &Vars, bound: &[String]) -> Why {
    let mut node = node;
    while let Kind::Bin(BinOp::And, a, b) = &node.kind {
        node = if matches!(eval(a, vars), Ok(Value::Bool(false))) {
            a
        } else {
            b
        };
    }
    if let Kind::Quant {
        name,
        binder,
        over,
        body,
    } = &node.kind
        && name == "all"
        && let Ok(items) = eval(over, vars).and_then(|v| items(v, 0))
    {
        for item in items {
            let mut inner = Vars::inside(vars);
            if bind(binder, &item, &mut inner, 0).is_err() {
                break;
            }
            if !matches!(eval(body, &inner), Ok(Value::Bool(false))) {
                continue;
            }
            let mut at: Vec<(String, Value)> = binder
                .names()
                .into_iter()
                .filter_map(|n| Some((n.to_string(), inner.get(n)?.clone())))
                .collect();
            let mut names = bound.to_vec();
            names.extend(at.iter().map(|(n, _)| n.clone()));
            let deeper = why_false(body, text, &inner, &names);
            at.extend(deeper.at);
            return Why {
                at,
                part: deeper.part,
                values: deeper.values,
            };
        }
    }
    leaf(node, text, vars, bound)
}

/// The values a false part compared (a comparison's operands, those of each side of an
/// `or`), or else the names it read.
fn leaf(node: &Node, text: &str, vars: &Vars, bound: &[String]) -> Why {
    let mut values: Vec<(String, Value)> = Vec::new();
    compared(node, text, vars, &mut values);
    if values.is_empty() {
        let mut names = Vec::new();
        super::free_variables(node, &mut Vec::new(), &mut names);
        for (name, _) in names {
            if bound.contains(&name) || values.iter().any(|(shown, _)| *shown == name) {
                continue;
            }
            if let Some(value) = vars.get(&name) {
                values.push((name, value.clone()));
            }
        }
    }
    Why {
        at: Vec::new(),
        part: quote(node, text),
        values,
    }
}

fn quote(node: &Node, text: &str) -> String {
    text.get(node.span.clone()).unwrap_or("").trim().to_string()
}

/// The operands of the comparisons of `node`, through `or` and `not`, that are not constants.
fn compared(node: &Node, text: &str, vars: &Vars, out: &mut Vec<(String, Value)>) {
    match &node.kind {
        Kind::Cmp(first, rest) => {
            for operand in std::iter::once(&**first).chain(rest.iter().map(|(_, n)| n)) {
                if matches!(operand.kind, Kind::Num(_) | Kind::Text(_) | Kind::Bool(_)) {
                    continue;
                }
                let shown = quote(operand, text);
                if out.iter().any(|(s, _)| *s == shown) {
                    continue;
                }
                if let Ok(value) = eval(operand, vars) {
                    out.push((shown, value));
                }
            }
        }
        Kind::Bin(BinOp::Or, a, b) => {
            compared(a, text, vars, out);
            compared(b, text, vars, out);
        }
        Kind::Not(inner) => compared(inner, text, vars, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::Expr;
    use super::*;

    fn vars(pairs: &[(&str, Value)]) -> Vars<'static> {
        let mut scope = Vars::new();
        for (name, value) in pairs {
            scope.set(name, value.clone());
        }
        scope
    }

    fn eval_with(text: &str, pairs: &[(&str, Value)]) -> Result<Value, ExprError> {
        Expr::parse(text)?.eval(&vars(pairs))
    }

    fn nums(values: &[f64]) -> Value {
        Value::List(values.iter().map(|v| Value::Num(*v)).collect())
    }

    fn texts(values: &[&str]) -> Value {
        Value::List(values.iter().map(|v| Value::Text((*v).into())).collect())
    }

    #[test]
    fn quantifiers_bind_a_name_to_each_item() {
        let r = [("result", nums(&[1.0, 2.0, 3.0]))];
        assert_eq!(
            eval_with("all(x in result, x > 0)", &r),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            eval_with("all(x in result, x > 1)", &r),
            Ok(Value::Bool(false))
        );
        assert_eq!(
            eval_with("any(x in result, x > 2)", &r),
            Ok(Value::Bool(true))
        );
        assert_eq!(eval_with("any(x in [], x > 2)", &r), Ok(Value::Bool(false)));
        assert_eq!(
            eval_with("count(x in result, x >= 2)", &r),
            Ok(Value::Num(2.0))
        );
        assert_eq!(
            eval_with("sum(x in result, x * x)", &r),
            Ok(Value::Num(14.0))
        );
        assert_eq!(
            eval_with("min(x in result, 10 - x)", &r),
            Ok(Value::Num(7.0))
        );
        assert_eq!(
            eval_with("max(i in 0 .. 3, result[i] * i)", &r),
            Ok(Value::Num(6.0))
        );
        assert!(eval_with("max(x in [], x)", &r).is_err());
        // Without a bound name, sum/min/max are the plain functions.
        assert_eq!(eval_with("sum(result)", &r), Ok(Value::Num(6.0)));
        // The bound name shadows an argument of the same name only inside.
        let n = [("x", Value::Num(100.0)), ("result", nums(&[1.0]))];
        assert_eq!(
            eval_with("all(x in result, x < 2) and x == 100", &n),
            Ok(Value::Bool(true))
        );
    }

    #[test]
    fn pairs_take_lists_apart_and_ranges_give_whole_numbers() {
        let r = [("result", nums(&[1.0, 2.0, 4.0]))];
        assert_eq!(
            eval_with("all([a, b] in windows(result, 2), a < b)", &r),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            eval_with("count([i, x] in enumerate(result), x == i + 1)", &r),
            Ok(Value::Num(2.0))
        );
        assert_eq!(
            eval_with("count(i in 1 ..= 3, true)", &r),
            Ok(Value::Num(3.0))
        );
        let err = eval_with("all([a, b] in result, a < b)", &r).unwrap_err();
        assert!(err.message.contains("takes a list of 2 items"), "{err:?}");
    }

    #[test]
    fn quantifiers_stop_after_a_budget_of_items() {
        let err = eval_with("count(i in 0 .. 2000, any(j in 0 .. 2000, j < 0))", &[]).unwrap_err();
        assert!(err.message.contains("more than 1000000 items"), "{err:?}");
        // The budget is per evaluation.
        for _ in 0..3 {
            assert_eq!(
                eval_with(
                    "count(i in 0 .. 600, count(j in 0 .. 600, i == j) == 1)",
                    &[]
                ),
                Ok(Value::Num(600.0))
            );
        }
    }

    #[test]
    fn modulo_wraps_around_a_table() {
        let n = [("n", Value::Num(5.0))];
        assert_eq!(eval_with("(0 - 1) % n", &n), Ok(Value::Num(4.0)));
        assert_eq!(eval_with("(4 + 1) % n", &n), Ok(Value::Num(0.0)));
    }

    #[test]
    fn text_is_read_into_fields() {
        let l = [("lines", texts(&["0 eats", "1 eats", "0 eats"]))];
        assert_eq!(
            eval_with("count(l in lines, parse(split(l)[0]) == 0)", &l),
            Ok(Value::Num(2.0))
        );
        assert_eq!(
            eval_with(r"match(lines[1], '^(\d+) (\w+)$')[2]", &l),
            Ok(Value::Text("eats".into()))
        );
        assert_eq!(
            eval_with("format('{} eats', 1) in lines", &l),
            Ok(Value::Bool(true))
        );
        let err = eval_with("parse(lines[0])", &l).unwrap_err();
        assert!(
            err.message.contains("\"0 eats\" is not a number"),
            "{err:?}"
        );
        assert_eq!(err.offset, Some(0));
    }

    #[test]
    fn fields_read_a_record() {
        let mut failed = std::collections::BTreeMap::new();
        failed.insert("elapsed".to_string(), Value::Bool(true));
        failed.insert("len".to_string(), Value::Bool(false));
        let f = [("failed", Value::Record(failed))];
        assert_eq!(
            eval_with("failed.elapsed and not failed.len", &f),
            Ok(Value::Bool(true))
        );
        let err = eval_with("failed.nope", &f).unwrap_err();
        assert!(err.message.contains("there are: elapsed, len"), "{err:?}");
    }

    #[test]
    fn a_runtime_error_points_at_the_operand_at_fault() {
        let err = eval_with("1 + 'x'", &[]).unwrap_err();
        assert_eq!(err.offset, Some(4));
        assert!(err.message.contains("`+` needs a number, not text"));
        let err = eval_with("[1, 2][2]", &[]).unwrap_err();
        assert!(err.message.contains("indexes count from 0"), "{err:?}");
    }

    #[test]
    fn why_names_the_items_the_part_and_its_values() {
        let t = [("t", nums(&[0.0, 1.0, 1.5])), ("n", Value::Num(3.0))];
        let expr =
            Expr::parse("len(t) == n and all(j in 0 .. n, all(k in 0 .. j, t[j] - t[k] >= 1s))")
                .unwrap();
        let why = expr.why_false(&vars(&t));
        assert_eq!(
            why.at,
            [
                ("j".to_string(), Value::Num(2.0)),
                ("k".to_string(), Value::Num(1.0))
            ]
        );
        assert_eq!(why.part, "t[j] - t[k] >= 1s");
        assert_eq!(why.values, [("t[j] - t[k]".to_string(), Value::Num(0.5))]);
        // The left side of `and` is at fault: its comparison's values.
        let expr = Expr::parse("len(t) == 4 and all(x in t, x >= 0)").unwrap();
        let why = expr.why_false(&vars(&t));
        assert!(why.at.is_empty());
        assert_eq!(why.part, "len(t) == 4");
        assert_eq!(why.values, [("len(t)".to_string(), Value::Num(3.0))]);
        // A part that is not a comparison: the names it reads.
        let expr = Expr::parse("all(x in t, any(y in t, y > x))").unwrap();
        let why = expr.why_false(&vars(&t));
        assert_eq!(why.at, [("x".to_string(), Value::Num(1.5))]);
        assert_eq!(why.part, "any(y in t, y > x)");
        assert_eq!(why.values, [("t".to_string(), nums(&[0.0, 1.0, 1.5]))]);
    }
}
