//! The names each expression key may read, besides the case's arguments.
//!
//! The grader sets these names (see `grade::checks::call_vars`, `grade::call`); the loader
//! refuses an expression that reads any other name, so that a typo in a spec is an error
//! before anything runs, not a diagnosis that silently never matches.

use crate::expr::{Env, Type};

/// What a call observed: set for `value`, `len`, `elapsed`, `each`, `arrivals`, stdout `at`
/// and the diagnoses (`when` and the `{placeholders}` of `says`).
pub const CALL: &[&str] = &[
    "result",
    "elapsed",
    "real",
    "in_order",
    "lines",
    "line_times",
    "arrivals",
    "uses",
    "error",
    "finished",
];

/// Each value returned (`x`) and its index (`i`): set for `each` and `arrivals` only.
pub const ITEM: &[&str] = &["x", "i"];

/// Which expectations the call failed (`failed.elapsed`, `failed.NAME` of an `assert`
/// clause): set for the diagnoses only, which run after the expectations are checked.
pub const DIAGNOSE: &[&str] = &["failed"];

/// The types of the names the grader sets, for the type check; `expectations` are the names
/// `failed` has (a case's expectation keys and `assert` names).
pub fn provided_types(expectations: Vec<String>) -> Env {
    let list = |item: Type| Type::List(Box::new(item));
    [
        ("result", Type::Any),
        ("elapsed", Type::Num),
        ("real", Type::Num),
        ("in_order", Type::Bool),
        ("lines", list(Type::Text)),
        ("line_times", list(Type::Num)),
        ("arrivals", list(Type::Num)),
        ("uses", list(Type::Text)),
        ("error", Type::Text),
        ("finished", Type::Bool),
        ("x", Type::Any),
        ("i", Type::Num),
        ("failed", Type::Record(expectations)),
    ]
    .into_iter()
    .map(|(name, t)| (name.to_string(), t))
    .collect()
}

/// Which names an expression key may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// None: a constant such as `5s` (`timeout`, `virtual_timeout`, `tolerance`, `settle`).
    Constant,
    /// The case's arguments only (`finished_by`, `uniform`: evaluated before or after all
    /// the calls).
    Args,
    /// The arguments and [`CALL`].
    Call,
    /// The arguments, [`CALL`] and [`ITEM`].
    Item,
    /// The arguments, [`CALL`] and [`DIAGNOSE`] (`when`, `says`).
    Diagnose,
}

impl Scope {
    /// The scope of an expression key.
    pub fn of(key: &str) -> Scope {
        match key {
            "timeout" | "virtual_timeout" | "tolerance" | "settle" => Scope::Constant,
            "finished_by" | "uniform" => Scope::Args,
            "each" | "arrivals" => Scope::Item,
            "when" | "says" => Scope::Diagnose,
            _ => Scope::Call,
        }
    }

    /// Whether `name` may be read in this scope, given the argument names.
    pub fn allows(self, name: &str, args: &[String]) -> bool {
        match self {
            Scope::Constant => false,
            Scope::Args => args.iter().any(|a| a == name),
            Scope::Call => args.iter().any(|a| a == name) || CALL.contains(&name),
            Scope::Item => {
                args.iter().any(|a| a == name) || CALL.contains(&name) || ITEM.contains(&name)
            }
            Scope::Diagnose => {
                args.iter().any(|a| a == name) || CALL.contains(&name) || DIAGNOSE.contains(&name)
            }
        }
    }

    /// The names it provides besides the arguments, for messages.
    pub fn provided(self) -> Vec<&'static str> {
        match self {
            Scope::Constant | Scope::Args => Vec::new(),
            Scope::Call => CALL.to_vec(),
            Scope::Item => CALL.iter().chain(ITEM).copied().collect(),
            Scope::Diagnose => CALL.iter().chain(DIAGNOSE).copied().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_names_exist_only_in_each_and_arrivals() {
        let args = vec!["n".to_string()];
        assert!(Scope::of("each").allows("x", &args));
        assert!(Scope::of("arrivals").allows("i", &args));
        assert!(!Scope::of("elapsed").allows("x", &args));
        assert!(Scope::of("elapsed").allows("result", &args));
        assert!(Scope::of("when").allows("n", &args));
        assert!(!Scope::of("uniform").allows("result", &args));
        assert!(Scope::of("uniform").allows("n", &args));
        assert!(!Scope::of("timeout").allows("n", &args));
        assert!(Scope::of("when").allows("failed", &args));
        assert!(Scope::of("says").allows("failed", &args));
        assert!(!Scope::of("elapsed").allows("failed", &args));
        assert!(!Scope::of("that").allows("failed", &args));
        assert!(Scope::of("that").allows("lines", &args));
    }
}
