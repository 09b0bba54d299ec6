//! The types of the function calls (`len`, `windows`, `zip`, `format`, `match`, the number
//! functions, ...): the number of arguments each takes, the types it needs, the type it
//! gives, and the patterns and templates written in the expression checked before anything
//! runs.

use super::{Checker, Env, Type, common};
use crate::expr::parse::{Kind, Node};
use crate::expr::{ExprError, Value, functions};

impl Checker<'_> {
    /// The type of a call of the function `name` on `args` (at `node`), or the first argument
    /// that does not fit it.
    pub(super) fn call(
        &self,
        node: &Node,
        name: &str,
        args: &[Node],
        env: &Env,
    ) -> Result<Type, ExprError> {
        let types = args
            .iter()
            .map(|a| self.node(a, env))
            .collect::<Result<Vec<_>, _>>()?;
        let who = format!("`{name}`");
        let arity = |low: usize, high: usize| -> Result<(), ExprError> {
            if (low..=high).contains(&args.len()) {
                Ok(())
            } else {
                let takes = match (low, high) {
                    (1, 1) => "one argument".to_string(),
                    (l, h) if l == h => format!("{l} arguments"),
                    (l, usize::MAX) => format!("{l} arguments or more"),
                    (l, h) => format!("{l} to {h} arguments"),
                };
                self.fail(node, format!("{who} takes {takes}, not {}", args.len()))
            }
        };
        let expect = |k: usize, want: &Type| -> Result<(), ExprError> {
            if types[k].is(want) {
                Ok(())
            } else {
                self.fail(
                    &args[k],
                    format!(
                        "{who} needs {want}; `{}` is {}",
                        self.quote(&args[k]),
                        types[k]
                    ),
                )
            }
        };
        let list = |k: usize| -> Result<Type, ExprError> {
            types[k].item().map_or_else(
                || {
                    self.fail(
                        &args[k],
                        format!(
                            "{who} needs a list; `{}` is {}",
                            self.quote(&args[k]),
                            types[k]
                        ),
                    )
                },
                Ok,
            )
        };
        Ok(match name {
            "len" => {
                arity(1, 1)?;
                if !matches!(types[0], Type::Any | Type::Text | Type::List(_)) {
                    return self.fail(
                        &args[0],
                        format!(
                            "`len` needs a list or text; `{}` is {}",
                            self.quote(&args[0]),
                            types[0]
                        ),
                    );
                }
                Type::Num
            }
            "windows" => {
                arity(2, 2)?;
                let item = list(0)?;
                expect(1, &Type::Num)?;
                Type::List(Box::new(Type::List(Box::new(item))))
            }
            "zip" => {
                arity(2, usize::MAX)?;
                let items = (0..args.len()).map(list).collect::<Result<Vec<_>, _>>()?;
                Type::List(Box::new(Type::List(Box::new(common(items.into_iter())))))
            }
            "enumerate" => {
                arity(1, 1)?;
                let item = list(0)?;
                Type::List(Box::new(Type::List(Box::new(common(
                    [Type::Num, item].into_iter(),
                )))))
            }
            "sort" => {
                arity(1, 1)?;
                let item = list(0)?;
                if !matches!(item, Type::Any | Type::Num | Type::Text) {
                    return self.fail(
                        &args[0],
                        format!(
                            "`sort` needs a list of numbers or of text; `{}` is {}",
                            self.quote(&args[0]),
                            types[0]
                        ),
                    );
                }
                types[0].clone()
            }
            "split" => {
                arity(1, 2)?;
                (0..args.len()).try_for_each(|k| expect(k, &Type::Text))?;
                Type::List(Box::new(Type::Text))
            }
            "parse" => {
                arity(1, 1)?;
                expect(0, &Type::Text)?;
                Type::Num
            }
            "format" => {
                arity(1, usize::MAX)?;
                expect(0, &Type::Text)?;
                if let Kind::Text(template) = &args[0].kind {
                    let placeholders =
                        functions::format_text(template, &vec![Value::Null; args.len() - 1]);
                    if let Err(message) = placeholders {
                        return self.fail(&args[0], format!("`format`: {message}"));
                    }
                }
                Type::Text
            }
            "match" | "matches" => {
                arity(2, 2)?;
                expect(0, &Type::Text)?;
                expect(1, &Type::Text)?;
                if let Kind::Text(pattern) = &args[1].kind
                    && let Err(bad) = functions::regex(pattern)
                {
                    return self.fail(&args[1], bad.to_string());
                }
                if name == "matches" {
                    Type::Bool
                } else {
                    Type::List(Box::new(Type::Text))
                }
            }
            // The number functions: one list of numbers, or numbers.
            _ => {
                arity(1, usize::MAX)?;
                match types.as_slice() {
                    [Type::List(item)] if item.is(&Type::Num) => {}
                    [Type::List(_)] => {
                        return self.fail(
                            &args[0],
                            format!(
                                "{who} needs numbers; `{}` is {}",
                                self.quote(&args[0]),
                                types[0]
                            ),
                        );
                    }
                    _ => (0..args.len()).try_for_each(|k| expect(k, &Type::Num))?,
                }
                if ["abs", "floor", "ceil", "round"].contains(&name) {
                    arity(1, 1)?;
                }
                Type::Num
            }
        })
    }
}
