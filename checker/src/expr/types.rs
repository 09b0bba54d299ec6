//! Types, checked before anything runs: `'x' + y` is refused by `checker validate` with the
//! place of `'x'`, not at run time. A name whose type is not known (a call's `result`, whose
//! shape the spec does not state) is [`Type::Any`], which every operation accepts; what it
//! meets is then checked when the call is graded.
//!
//! The function calls' types are in `calls.rs`.

mod calls;

use std::collections::HashMap;
use std::fmt;

use super::parse::{BinOp, Binder, CmpOp, Kind, Node};
use super::{ExprError, Value};

/// The type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// A number.
    Num,
    /// True or false.
    Bool,
    /// Text.
    Text,
    /// A list of items of one type ([`Type::Any`] when they differ).
    List(Box<Type>),
    /// A range of numbers.
    Range,
    /// Nothing.
    Null,
    /// A record of named truth values (`failed`), with the names it has.
    Record(Vec<String>),
    /// Not known before the call.
    Any,
}

impl Type {
    /// The type of a value.
    pub fn of(value: &Value) -> Type {
        match value {
            Value::Num(_) => Type::Num,
            Value::Bool(_) => Type::Bool,
            Value::Text(_) => Type::Text,
            Value::List(items) => Type::List(Box::new(common(items.iter().map(Type::of)))),
            Value::Range { .. } => Type::Range,
            Value::Null => Type::Null,
            Value::Record(fields) => Type::Record(fields.keys().cloned().collect()),
        }
    }

    fn is(&self, other: &Type) -> bool {
        *self == Type::Any || self == other
    }

    fn item(&self) -> Option<Type> {
        match self {
            Type::List(item) => Some((**item).clone()),
            Type::Any => Some(Type::Any),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Num => f.write_str("a number"),
            Type::Bool => f.write_str("true/false"),
            Type::Text => f.write_str("text"),
            Type::List(item) if **item == Type::Any => f.write_str("a list"),
            Type::List(item) => write!(f, "a list of {}", plural(item)),
            Type::Range => f.write_str("a range"),
            Type::Null => f.write_str("nothing"),
            Type::Record(_) => f.write_str("a record"),
            Type::Any => f.write_str("a value"),
        }
    }
}

fn plural(item: &Type) -> String {
    match item {
        Type::Num => "numbers".into(),
        Type::Bool => "true/false".into(),
        Type::Text => "text".into(),
        Type::List(_) => "lists".into(),
        Type::Range => "ranges".into(),
        other => other.to_string(),
    }
}

/// The one type of all of `types`, or [`Type::Any`] when they differ (or there are none).
fn common(types: impl Iterator<Item = Type>) -> Type {
    let mut found: Option<Type> = None;
    for t in types {
        found = match found {
            None => Some(t),
            Some(f) if f == t => Some(f),
            Some(_) => return Type::Any,
        };
    }
    found.unwrap_or(Type::Any)
}

/// The types of the names an expression may read.
pub type Env = HashMap<String, Type>;

/// Checks the types of `node`; returns its type.
pub(super) fn check(node: &Node, text: &str, env: &Env) -> Result<Type, ExprError> {
    Checker { text }.node(node, env)
}

struct Checker<'t> {
    text: &'t str,
}

impl Checker<'_> {
    fn quote(&self, node: &Node) -> &str {
        self.text.get(node.span.clone()).unwrap_or("").trim()
    }

    fn fail<T>(&self, node: &Node, message: String) -> Result<T, ExprError> {
        Err(ExprError {
            message,
            offset: Some(node.span.start),
        })
    }

    /// `node` must be of type `want` (or of an unknown type).
    fn want(&self, node: &Node, env: &Env, want: &Type, who: &str) -> Result<Type, ExprError> {
        let got = self.node(node, env)?;
        if got.is(want) {
            return Ok(got);
        }
        self.fail(
            node,
            format!("{who} needs {want}; `{}` is {got}", self.quote(node)),
        )
    }

    fn node(&self, node: &Node, env: &Env) -> Result<Type, ExprError> {
        Ok(match &node.kind {
            Kind::Num(_) => Type::Num,
            Kind::Bool(_) => Type::Bool,
            Kind::Text(_) => Type::Text,
            Kind::Var(name) => env.get(name).cloned().unwrap_or(Type::Any),
            Kind::List(items) => Type::List(Box::new(common(
                items
                    .iter()
                    .map(|item| self.node(item, env))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter(),
            ))),
            Kind::Neg(inner) => self
                .want(inner, env, &Type::Num, "`-`")
                .map(|_| Type::Num)?,
            Kind::Not(inner) => self
                .want(inner, env, &Type::Bool, "`not`")
                .map(|_| Type::Bool)?,
            Kind::Bin(op @ (BinOp::And | BinOp::Or), a, b) => {
                let who = format!("`{}`", op.symbol());
                self.want(a, env, &Type::Bool, &who)?;
                self.want(b, env, &Type::Bool, &who)?;
                Type::Bool
            }
            Kind::Bin(op, a, b) => {
                let who = format!("`{}`", op.symbol());
                self.want(a, env, &Type::Num, &who)?;
                self.want(b, env, &Type::Num, &who)?;
                Type::Num
            }
            Kind::Range(low, high, _) => {
                self.want(low, env, &Type::Num, "a range")?;
                self.want(high, env, &Type::Num, "a range")?;
                Type::Range
            }
            Kind::Index(list, index) => {
                self.want(index, env, &Type::Num, "an index")?;
                let of = self.node(list, env)?;
                match of.item() {
                    Some(item) => item,
                    None => {
                        return self.fail(
                            list,
                            format!("only a list can be indexed; `{}` is {of}", self.quote(list)),
                        );
                    }
                }
            }
            Kind::Field(record, field) => match self.node(record, env)? {
                Type::Any => Type::Any,
                Type::Record(fields) if fields.contains(field) => Type::Bool,
                Type::Record(fields) => {
                    return self.fail(
                        node,
                        format!(
                            "`{}` has no `{field}`: it has {}",
                            self.quote(record),
                            if fields.is_empty() {
                                "nothing".to_string()
                            } else {
                                fields
                                    .iter()
                                    .map(|f| format!("`{f}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            }
                        ),
                    );
                }
                other => {
                    return self.fail(
                        record,
                        format!("`{}` is {other}: it has no fields", self.quote(record)),
                    );
                }
            },
            Kind::Cmp(first, rest) => {
                let mut left = self.node(first, env)?;
                let mut left_node: &Node = first;
                for (op, right_node) in rest {
                    let right = self.node(right_node, env)?;
                    self.comparison(*op, (left_node, &left), (right_node, &right))?;
                    left = right;
                    left_node = right_node;
                }
                Type::Bool
            }
            Kind::Call(name, args) => self.call(node, name, args, env)?,
            Kind::Quant {
                name,
                binder,
                over,
                body,
            } => {
                let over_type = self.node(over, env)?;
                let item = match &over_type {
                    Type::Range => Type::Num,
                    other => match other.item() {
                        Some(item) => item,
                        None => {
                            return self.fail(
                                over,
                                format!(
                                    "`{name}` ranges over a list or a range (`0 .. n`); `{}` is {other}",
                                    self.quote(over)
                                ),
                            );
                        }
                    },
                };
                let mut inner = env.clone();
                match binder {
                    Binder::One(bound) => {
                        inner.insert(bound.clone(), item);
                    }
                    Binder::Many(names) => {
                        let part = match item.item() {
                            Some(part) => part,
                            None => {
                                return self.fail(
                                    over,
                                    format!(
                                        "[{}] takes lists apart; the items of `{}` are {item}",
                                        names.join(", "),
                                        self.quote(over)
                                    ),
                                );
                            }
                        };
                        for bound in names {
                            inner.insert(bound.clone(), part.clone());
                        }
                    }
                }
                let who = format!("`{name}`");
                if ["all", "any", "count"].contains(&name.as_str()) {
                    self.want(body, &inner, &Type::Bool, &who)?;
                } else {
                    self.want(body, &inner, &Type::Num, &who)?;
                }
                if name == "all" || name == "any" {
                    Type::Bool
                } else {
                    Type::Num
                }
            }
        })
    }

    fn comparison(
        &self,
        op: CmpOp,
        (left_node, left): (&Node, &Type),
        (right_node, right): (&Node, &Type),
    ) -> Result<(), ExprError> {
        match op {
            CmpOp::Eq | CmpOp::Ne => Ok(()),
            CmpOp::In => match right {
                Type::Any => Ok(()),
                Type::Range if left.is(&Type::Num) => Ok(()),
                Type::List(_) => Ok(()),
                Type::Range => self.fail(
                    left_node,
                    format!(
                        "`in` a range needs a number; `{}` is {left}",
                        self.quote(left_node)
                    ),
                ),
                other => self.fail(
                    right_node,
                    format!(
                        "`in` needs a range or a list on its right; `{}` is {other}",
                        self.quote(right_node)
                    ),
                ),
            },
            _ => {
                for (node, t) in [(left_node, left), (right_node, right)] {
                    if !t.is(&Type::Num) {
                        return self.fail(
                            node,
                            format!("a comparison needs numbers; `{}` is {t}", self.quote(node)),
                        );
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Expr;
    use super::*;

    fn env() -> Env {
        let mut env = Env::new();
        env.insert("n".into(), Type::Num);
        env.insert("y".into(), Type::Num);
        env.insert("name".into(), Type::Text);
        env.insert("lines".into(), Type::List(Box::new(Type::Text)));
        env.insert("line_times".into(), Type::List(Box::new(Type::Num)));
        env.insert(
            "failed".into(),
            Type::Record(vec!["elapsed".into(), "neighbours".into()]),
        );
        env
    }

    fn check(text: &str) -> Result<Type, ExprError> {
        Expr::parse(text).unwrap().check_types(&env())
    }

    #[test]
    fn text_plus_a_number_is_refused_at_the_text() {
        let err = check("'x' + y").unwrap_err();
        assert_eq!(err.offset, Some(0));
        assert_eq!(err.message, "`+` needs a number; `'x'` is text");
        let err = check("n * 2 + name").unwrap_err();
        assert_eq!(err.offset, Some(8));
    }

    #[test]
    fn well_typed_expressions_give_their_type() {
        assert_eq!(check("n * 1s"), Ok(Type::Num));
        assert_eq!(check("0 ..= n"), Ok(Type::Range));
        assert_eq!(check("all(l in lines, len(split(l)) == 2)"), Ok(Type::Bool));
        assert_eq!(
            check("count(l in lines, parse(split(l)[0]) == 1)"),
            Ok(Type::Num)
        );
        assert_eq!(
            check("result[0] + 1"),
            Ok(Type::Num),
            "unknown names may be anything"
        );
        assert_eq!(check("[1, 2]"), Ok(Type::List(Box::new(Type::Num))));
        assert_eq!(
            check("failed.elapsed or not failed.neighbours"),
            Ok(Type::Bool)
        );
        assert_eq!(
            check("all([a, b] in zip(line_times, lines), a >= 0 and b != '')"),
            Ok(Type::Bool)
        );
        assert_eq!(check("format('{} eats', n)"), Ok(Type::Text));
    }

    #[test]
    fn type_errors_name_what_was_needed_and_what_was_found() {
        for (text, offset, says) in [
            ("not n", 4, "`not` needs true/false; `n` is a number"),
            ("n and true", 0, "`and` needs true/false"),
            ("name < 3", 0, "a comparison needs numbers; `name` is text"),
            ("name in 0 .. 3", 0, "`in` a range needs a number"),
            ("n in n", 5, "`in` needs a range or a list"),
            ("n[0]", 0, "only a list can be indexed"),
            ("lines['a']", 6, "an index needs a number"),
            (
                "all(l in lines, l)",
                16,
                "`all` needs true/false; `l` is text",
            ),
            ("sum(t in line_times, t > 1)", 21, "`sum` needs a number"),
            ("all(x in n, true)", 9, "ranges over a list or a range"),
            ("all([a, b] in lines, true)", 14, "takes lists apart"),
            ("parse(n)", 6, "`parse` needs text; `n` is a number"),
            ("split(lines)", 6, "`split` needs text"),
            (
                "max(lines)",
                4,
                "`max` needs numbers; `lines` is a list of text",
            ),
            ("abs(1, 2)", 0, "`abs` takes one argument, not 2"),
            ("windows(lines)", 0, "`windows` takes 2 arguments, not 1"),
            (
                "failed.neighbors",
                0,
                "has no `neighbors`: it has `elapsed`, `neighbours`",
            ),
            ("n.x", 0, "it has no fields"),
            ("match(name, '(')", 12, "not a regular expression"),
            ("format('{} {}', n)", 7, "more `{}` than values"),
        ] {
            let err = check(text).unwrap_err();
            assert_eq!(err.offset, Some(offset), "{text}: {err:?}");
            assert!(err.message.contains(says), "{text}: {}", err.message);
        }
    }

    #[test]
    fn the_type_of_a_value() {
        assert_eq!(
            Type::of(&Value::List(vec![Value::Num(1.0), Value::Text("a".into())])),
            Type::List(Box::new(Type::Any))
        );
        assert_eq!(
            Type::of(&Value::List(vec![])),
            Type::List(Box::new(Type::Any))
        );
        assert_eq!(
            Type::List(Box::new(Type::Num)).to_string(),
            "a list of numbers"
        );
    }
}
