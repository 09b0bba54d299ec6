//! The functions expressions may call, evaluated on values: numbers over lists, pairs
//! (`windows`, `zip`, `enumerate`), and text (`split`, `parse`, `format`, `match`).
//!
//! The quantifiers (`all(x in list, condition)`, ...) bind a name and evaluate their body once
//! per item: `eval` runs them; this module gives the items they range over.

use super::{ExprError, Value, error};
use crate::text::numbers::format_number;

/// The functions expressions may call.
pub const FUNCTIONS: &[&str] = &[
    "len",
    "max",
    "min",
    "sum",
    "mean",
    "abs",
    "floor",
    "ceil",
    "round",
    "all",
    "any",
    "count",
    "windows",
    "zip",
    "enumerate",
    "sort",
    "split",
    "parse",
    "format",
    "match",
    "matches",
];

/// The functions that take a bound name (`all(x in list, condition)`): `all`, `any` and
/// `count` check a condition for each item, `sum`, `min` and `max` compute a number.
pub const QUANTIFIERS: &[&str] = &["all", "any", "count", "sum", "min", "max"];

/// Longest list a function may build (`windows`, `zip`, a range to range over): far above
/// any call's values, low enough that a mistaken bound cannot exhaust memory.
pub const MAX_ITEMS: usize = 1_000_000;

/// The items a quantifier ranges over: a list's items, or the whole numbers of a range
/// (`0 .. n`: 0 to n - 1; `1 ..= n`: 1 to n).
pub(super) fn items(value: Value, offset: usize) -> Result<Vec<Value>, ExprError> {
    match value {
        Value::List(items) => Ok(items),
        Value::Range {
            low,
            high,
            inclusive,
        } => {
            let first = low.ceil();
            let last = if inclusive {
                high.floor()
            } else {
                (high - 1.0).ceil()
            };
            if !(first.is_finite() && last.is_finite()) {
                return error("cannot range over an endless range", Some(offset));
            }
            if last < first {
                return Ok(Vec::new());
            }
            if last - first >= MAX_ITEMS as f64 {
                return error(
                    format!("cannot range over more than {MAX_ITEMS} numbers"),
                    Some(offset),
                );
            }
            Ok((0..=(last - first) as usize)
                .map(|k| Value::Num(first + k as f64))
                .collect())
        }
        other => error(
            format!(
                "can range over a list or a range (`0 .. n`), not {}",
                other.type_name()
            ),
            Some(offset),
        ),
    }
}

fn number(value: &Value, name: &str, offset: usize) -> Result<f64, ExprError> {
    match value {
        Value::Num(n) => Ok(*n),
        other => error(
            format!("`{name}` needs a number, not {}", other.type_name()),
            Some(offset),
        ),
    }
}

fn text<'v>(value: &'v Value, name: &str, offset: usize) -> Result<&'v str, ExprError> {
    match value {
        Value::Text(s) => Ok(s),
        other => error(
            format!("`{name}` needs text, not {}", other.type_name()),
            Some(offset),
        ),
    }
}

fn list<'v>(value: &'v Value, name: &str, offset: usize) -> Result<&'v [Value], ExprError> {
    match value {
        Value::List(items) => Ok(items),
        other => error(
            format!("`{name}` needs a list, not {}", other.type_name()),
            Some(offset),
        ),
    }
}

/// The regular expression `pattern` (compiled to at most 1 MiB).
///
/// # Errors
/// It is not one, or too big: [`BadRegex`].
pub fn regex(pattern: &str) -> Result<regex::Regex, BadRegex> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|reason| BadRegex {
            pattern: pattern.to_string(),
            reason,
        })
}

/// Why a pattern of `match` or `matches` is not a regular expression.
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{pattern}` is not a regular expression: {reason}")]
pub struct BadRegex {
    /// The pattern as the spec gives it.
    pub pattern: String,
    /// What the regex crate says of it.
    pub reason: regex::Error,
}

/// Why `format`'s template does not fit its values ([`format_text`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// More `{}` than values.
    #[error("`{0}` has more `{{}}` than values")]
    MoreHoles(String),
    /// Fewer `{}` than values.
    #[error("`{0}` has fewer `{{}}` than values")]
    FewerHoles(String),
    /// A `{` or `}` neither doubled nor part of `{}`.
    #[error("`{template}`: a `{brace}` alone; `{{}}` is a value, `{{{{` and `}}}}` are braces")]
    LoneBrace {
        /// The template.
        template: String,
        /// The brace alone.
        brace: char,
    },
}

/// The text `format` makes: each `{}` of `template` replaced by the next value (numbers with
/// at most three decimals, text as it is); `{{` and `}}` stand for `{` and `}`.
///
/// # Errors
/// The template's `{}` and the values do not match, or a brace stands alone
/// ([`FormatError`]).
pub fn format_text(template: &str, values: &[Value]) -> Result<String, FormatError> {
    let mut out = String::new();
    let mut next = values.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                chars.next();
                out.push(c);
            }
            ('{', Some('}')) => {
                chars.next();
                match next.next() {
                    Some(Value::Num(n)) => out.push_str(&format_number(*n)),
                    Some(Value::Text(s)) => out.push_str(s),
                    Some(other) => out.push_str(&other.to_string()),
                    None => return Err(FormatError::MoreHoles(template.to_string())),
                }
            }
            ('{' | '}', _) => {
                return Err(FormatError::LoneBrace {
                    template: template.to_string(),
                    brace: c,
                });
            }
            _ => out.push(c),
        }
    }
    if next.next().is_some() {
        return Err(FormatError::FewerHoles(template.to_string()));
    }
    Ok(out)
}

/// Calls the function `name` (not a quantifier with a bound name) on `values`.
pub(super) fn call(name: &str, values: &[Value], offset: usize) -> Result<Value, ExprError> {
    let arity = |low: usize, high: usize| -> Result<(), ExprError> {
        if (low..=high).contains(&values.len()) {
            return Ok(());
        }
        let takes = match (low, high) {
            (1, 1) => "one argument".to_string(),
            (l, h) if l == h => format!("{l} arguments"),
            (l, usize::MAX) => format!("{l} arguments or more"),
            (l, h) => format!("{l} to {h} arguments"),
        };
        error(
            format!("`{name}` takes {takes}, not {}", values.len()),
            Some(offset),
        )
    };
    match name {
        "len" => {
            arity(1, 1)?;
            return match &values[0] {
                Value::List(items) => Ok(Value::Num(items.len() as f64)),
                Value::Text(s) => Ok(Value::Num(s.chars().count() as f64)),
                other => error(
                    format!("`len` needs a list, not {}", other.type_name()),
                    Some(offset),
                ),
            };
        }
        "windows" => {
            arity(2, 2)?;
            let items = list(&values[0], name, offset)?;
            let size = number(&values[1], name, offset)?;
            if !(size >= 1.0 && size.fract() == 0.0) {
                return error(
                    format!(
                        "`windows` needs a whole size of 1 or more, not {}",
                        format_number(size)
                    ),
                    Some(offset),
                );
            }
            let size = size.min(items.len() as f64 + 1.0) as usize;
            return Ok(Value::List(
                items
                    .windows(size)
                    .map(|w| Value::List(w.to_vec()))
                    .collect(),
            ));
        }
        "zip" => {
            arity(2, usize::MAX)?;
            let lists = values
                .iter()
                .map(|v| list(v, name, offset))
                .collect::<Result<Vec<_>, _>>()?;
            let shortest = lists.iter().map(|l| l.len()).min().unwrap_or(0);
            return Ok(Value::List(
                (0..shortest)
                    .map(|k| Value::List(lists.iter().map(|l| l[k].clone()).collect()))
                    .collect(),
            ));
        }
        "enumerate" => {
            arity(1, 1)?;
            let items = list(&values[0], name, offset)?;
            return Ok(Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| Value::List(vec![Value::Num(i as f64), x.clone()]))
                    .collect(),
            ));
        }
        "sort" => {
            arity(1, 1)?;
            let mut items = list(&values[0], name, offset)?.to_vec();
            if let Some(mut numbers) = values[0].numbers() {
                numbers.sort_by(f64::total_cmp);
                return Ok(Value::List(numbers.into_iter().map(Value::Num).collect()));
            }
            let mut texts: Vec<String> = items
                .drain(..)
                .filter_map(|v| match v {
                    Value::Text(s) => Some(s),
                    _ => None,
                })
                .collect();
            if texts.len() == list(&values[0], name, offset)?.len() {
                texts.sort();
                return Ok(Value::List(texts.into_iter().map(Value::Text).collect()));
            }
            return error("`sort` needs a list of numbers or of text", Some(offset));
        }
        "split" => {
            arity(1, 2)?;
            let whole = text(&values[0], name, offset)?;
            let parts: Vec<Value> = match values.get(1) {
                None => whole
                    .split_whitespace()
                    .map(|p| Value::Text(p.into()))
                    .collect(),
                Some(separator) => {
                    let separator = text(separator, name, offset)?;
                    if separator.is_empty() {
                        return error("`split` needs a separator that is not empty", Some(offset));
                    }
                    whole
                        .split(separator)
                        .map(|p| Value::Text(p.into()))
                        .collect()
                }
            };
            return Ok(Value::List(parts));
        }
        "parse" => {
            arity(1, 1)?;
            let whole = text(&values[0], name, offset)?;
            return match whole.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => Ok(Value::Num(n)),
                _ => error(format!("`parse`: {whole:?} is not a number"), Some(offset)),
            };
        }
        "format" => {
            arity(1, usize::MAX)?;
            let template = text(&values[0], name, offset)?;
            return format_text(template, &values[1..])
                .map(Value::Text)
                .or_else(|message| error(format!("`format`: {message}"), Some(offset)));
        }
        "match" | "matches" => {
            arity(2, 2)?;
            let whole = text(&values[0], name, offset)?;
            let pattern = text(&values[1], name, offset)?;
            let regex = regex(pattern).or_else(|bad| error(bad.to_string(), Some(offset)))?;
            if name == "matches" {
                return Ok(Value::Bool(regex.is_match(whole)));
            }
            // The whole match at 0, each group at its number; no match, an empty list.
            return Ok(Value::List(regex.captures(whole).map_or_else(
                Vec::new,
                |captures| {
                    captures
                        .iter()
                        .map(|group| Value::Text(group.map_or("", |m| m.as_str()).into()))
                        .collect()
                },
            )));
        }
        _ => {}
    }
    // The other functions take numbers: one list, or several numbers.
    let numbers: Vec<f64> = match values {
        [list @ Value::List(_)] => list.numbers().ok_or_else(|| ExprError {
            message: format!("`{name}` needs numbers"),
            offset: Some(offset),
        })?,
        many => many
            .iter()
            .map(|v| number(v, name, offset))
            .collect::<Result<_, _>>()?,
    };
    let single = || match numbers.as_slice() {
        [n] => Ok(*n),
        _ => error(format!("`{name}` takes one number"), Some(offset)),
    };
    let nonempty = |f: fn(f64, f64) -> f64| {
        numbers
            .iter()
            .copied()
            .reduce(f)
            .map(Value::Num)
            .ok_or_else(|| ExprError {
                message: format!("`{name}` of an empty list"),
                offset: Some(offset),
            })
    };
    match name {
        "max" => nonempty(f64::max),
        "min" => nonempty(f64::min),
        "sum" => Ok(Value::Num(numbers.iter().sum())),
        "mean" if numbers.is_empty() => error("`mean` of an empty list", Some(offset)),
        "mean" => Ok(Value::Num(
            numbers.iter().sum::<f64>() / numbers.len() as f64,
        )),
        "abs" => Ok(Value::Num(single()?.abs())),
        "floor" => Ok(Value::Num(single()?.floor())),
        "ceil" => Ok(Value::Num(single()?.ceil())),
        "round" => Ok(Value::Num(single()?.round())),
        "all" | "any" | "count" => error(
            format!("`{name}` needs a name to bind: `{name}(x in list, condition)`"),
            Some(offset),
        ),
        _ => error(format!("unknown function `{name}`"), Some(offset)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(values: &[f64]) -> Value {
        Value::List(values.iter().map(|v| Value::Num(*v)).collect())
    }

    fn texts(values: &[&str]) -> Value {
        Value::List(values.iter().map(|v| Value::Text((*v).into())).collect())
    }

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn windows_are_the_consecutive_runs() {
        let got = call("windows", &[nums(&[1.0, 2.0, 3.0]), Value::Num(2.0)], 0).unwrap();
        assert_eq!(got, Value::List(vec![nums(&[1.0, 2.0]), nums(&[2.0, 3.0])]));
        let none = call("windows", &[nums(&[1.0]), Value::Num(2.0)], 0).unwrap();
        assert_eq!(none, Value::List(vec![]));
        assert!(call("windows", &[nums(&[1.0]), Value::Num(0.0)], 0).is_err());
        assert!(call("windows", &[nums(&[1.0]), Value::Num(1.5)], 0).is_err());
    }

    #[test]
    fn zip_pairs_items_up_to_the_shortest_list() {
        let got = call("zip", &[nums(&[1.0, 2.0, 3.0]), texts(&["a", "b"])], 0).unwrap();
        assert_eq!(
            got,
            Value::List(vec![
                Value::List(vec![Value::Num(1.0), t("a")]),
                Value::List(vec![Value::Num(2.0), t("b")]),
            ])
        );
        assert!(call("zip", &[nums(&[1.0])], 0).is_err());
    }

    #[test]
    fn enumerate_pairs_each_item_with_its_index_from_0() {
        let got = call("enumerate", &[texts(&["a", "b"])], 0).unwrap();
        assert_eq!(
            got,
            Value::List(vec![
                Value::List(vec![Value::Num(0.0), t("a")]),
                Value::List(vec![Value::Num(1.0), t("b")]),
            ])
        );
    }

    #[test]
    fn sort_orders_numbers_and_text() {
        assert_eq!(
            call("sort", &[nums(&[3.0, 1.0, 2.0])], 0),
            Ok(nums(&[1.0, 2.0, 3.0]))
        );
        assert_eq!(
            call("sort", &[texts(&["b", "a"])], 0),
            Ok(texts(&["a", "b"]))
        );
        let mixed = Value::List(vec![Value::Num(1.0), t("a")]);
        assert!(call("sort", &[mixed], 0).is_err());
    }

    #[test]
    fn split_cuts_at_whitespace_or_a_separator() {
        assert_eq!(
            call("split", &[t("  3 eats ")], 0),
            Ok(texts(&["3", "eats"]))
        );
        assert_eq!(
            call("split", &[t("a,b,,c"), t(",")], 0),
            Ok(texts(&["a", "b", "", "c"]))
        );
        assert!(call("split", &[t("a"), t("")], 0).is_err());
        assert!(call("split", &[Value::Num(1.0)], 0).is_err());
    }

    #[test]
    fn parse_reads_a_number_or_says_why_not() {
        assert_eq!(call("parse", &[t(" 42 ")], 0), Ok(Value::Num(42.0)));
        assert_eq!(call("parse", &[t("2.5")], 0), Ok(Value::Num(2.5)));
        let err = call("parse", &[t("three")], 7).unwrap_err();
        assert!(err.message.contains("\"three\" is not a number"), "{err:?}");
        assert_eq!(err.offset, Some(7));
        assert!(call("parse", &[t("inf")], 0).is_err());
    }

    #[test]
    fn format_fills_braces_in_order_and_escapes_doubled_ones() {
        assert_eq!(
            call("format", &[t("{} eats"), Value::Num(3.0)], 0),
            Ok(t("3 eats"))
        );
        assert_eq!(call("format", &[t("{{{}}}"), t("x")], 0), Ok(t("{x}")));
        assert!(call("format", &[t("{} {}"), Value::Num(1.0)], 0).is_err());
        assert!(call("format", &[t("{}"), Value::Num(1.0), Value::Num(2.0)], 0).is_err());
        assert!(call("format", &[t("a { b")], 0).is_err());
    }

    #[test]
    fn match_gives_the_whole_match_and_each_group() {
        assert_eq!(
            call("match", &[t("3 eats"), t(r"^(\d+) (\w+)$")], 0),
            Ok(texts(&["3 eats", "3", "eats"]))
        );
        assert_eq!(
            call("match", &[t("hello"), t(r"^(\d+)")], 0),
            Ok(Value::List(vec![]))
        );
        // A group that took no part is empty text.
        assert_eq!(
            call("match", &[t("ab"), t("a(x)?b")], 0),
            Ok(texts(&["ab", ""]))
        );
        assert_eq!(
            call("matches", &[t("3 eats"), t(r"eats$")], 0),
            Ok(Value::Bool(true))
        );
        let err = call("match", &[t("x"), t("(")], 0).unwrap_err();
        assert!(err.message.contains("not a regular expression"), "{err:?}");
    }

    #[test]
    fn ranges_give_their_whole_numbers() {
        let open = Value::Range {
            low: 0.0,
            high: 3.0,
            inclusive: false,
        };
        assert_eq!(
            items(open, 0),
            Ok(vec![Value::Num(0.0), Value::Num(1.0), Value::Num(2.0)])
        );
        let closed = Value::Range {
            low: 1.0,
            high: 2.0,
            inclusive: true,
        };
        assert_eq!(items(closed, 0), Ok(vec![Value::Num(1.0), Value::Num(2.0)]));
        let empty = Value::Range {
            low: 0.0,
            high: 0.0,
            inclusive: false,
        };
        assert_eq!(items(empty, 0), Ok(vec![]));
        let huge = Value::Range {
            low: 0.0,
            high: 1e12,
            inclusive: false,
        };
        assert!(items(huge, 0).is_err());
        assert!(items(Value::Num(3.0), 0).is_err());
    }

    #[test]
    fn the_number_functions_still_take_a_list_or_several_numbers() {
        assert_eq!(call("max", &[nums(&[1.0, 3.0])], 0), Ok(Value::Num(3.0)));
        assert_eq!(
            call("min", &[Value::Num(4.0), Value::Num(2.0)], 0),
            Ok(Value::Num(2.0))
        );
        assert!(call("max", &[nums(&[])], 0).is_err());
        assert_eq!(call("len", &[t("héllo")], 0), Ok(Value::Num(5.0)));
        assert!(call("len", &[], 0).is_err());
    }

    #[test]
    fn a_template_that_does_not_fit_says_how() {
        let one = [Value::Num(1.0)];
        assert_eq!(format_text("{} and {{}}", &one).as_deref(), Ok("1 and {}"));
        assert_eq!(
            format_text("{} {}", &one),
            Err(FormatError::MoreHoles("{} {}".into()))
        );
        assert_eq!(
            format_text("none", &one),
            Err(FormatError::FewerHoles("none".into()))
        );
        let alone = format_text("a } b", &[]).expect_err("a brace alone");
        assert_eq!(
            alone.to_string(),
            "`a } b`: a `}` alone; `{}` is a value, `{{` and `}}` are braces"
        );
    }
}
