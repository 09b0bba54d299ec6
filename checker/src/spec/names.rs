//! The names each expression key may read, besides the case's arguments.
//!
//! The grader sets these names (see `grade::checks::vars::call_vars`, `grade::call`); the
//! loader refuses an expression that reads any other name, so that a typo in a spec is an error
//! before anything runs, not a diagnosis that silently never matches.

use super::raw::RawExpect;
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
    "replies",
    "reply_times",
    "attempts",
    "cpu_threads",
    "cpu_starts",
    "cpu_ends",
    "cpu_sites",
    "closed_times",
    "shutdown",
];

/// Each value returned (`x`) and its index (`i`): set for `each` and `arrivals` only.
pub const ITEM: &[&str] = &["x", "i"];

/// Which expectations the call failed (`failed.elapsed`, `failed.NAME` of an `assert`
/// clause): set for the diagnoses only, which run after the expectations are checked.
///
/// The trace's names too (`crate::grade::trace`): a failing call is run again, recording, and
/// its diagnoses read what it spawned and which timers it made; where nothing was recorded
/// (the real clock, a case too large) a condition that reads them does not hold.
pub const DIAGNOSE: &[&str] = &[
    "failed",
    "spawn_sites",
    "spawn_times",
    "timer_sites",
    "timer_starts",
    "timer_deadlines",
    "resource_kinds",
    "resource_sites",
    "interval_sites",
    "task_ends",
    "aborted_sites",
    "aborted_times",
    "running_sites",
    "repolled_sites",
    "most_waiting",
];

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
        ("replies", list(list(Type::Text))),
        ("reply_times", list(list(Type::Num))),
        ("attempts", list(Type::Num)),
        ("cpu_threads", list(Type::Text)),
        ("cpu_starts", list(Type::Num)),
        ("cpu_ends", list(Type::Num)),
        ("cpu_sites", list(Type::Text)),
        ("closed_times", list(Type::Num)),
        ("shutdown", Type::Num),
        ("x", Type::Any),
        ("i", Type::Num),
        ("failed", Type::Record(expectations)),
        ("spawn_sites", list(Type::Text)),
        ("spawn_times", list(Type::Num)),
        ("timer_sites", list(Type::Text)),
        ("timer_starts", list(Type::Num)),
        ("timer_deadlines", list(Type::Num)),
        ("resource_kinds", list(Type::Text)),
        ("resource_sites", list(Type::Text)),
        ("interval_sites", list(Type::Text)),
        ("task_ends", list(Type::Text)),
        ("aborted_sites", list(Type::Text)),
        ("aborted_times", list(Type::Num)),
        ("running_sites", list(Type::Text)),
        ("repolled_sites", list(Type::Text)),
        ("most_waiting", Type::Num),
    ]
    .into_iter()
    .map(|(name, t)| (name.to_string(), t))
    .collect()
}

/// Which names an expression key may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// None: a constant such as `5s` (`timeout`, `virtual_timeout`, `tolerance`, `settle`,
    /// `cost`, `shutdown`).
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
            "timeout" | "virtual_timeout" | "tolerance" | "settle" | "cost" | "shutdown" => {
                Scope::Constant
            }
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

/// The keys of `[case.expect]` that check each call: `failed.KEY` reads whether one failed.
pub const EXPECTATION_KEYS: &[&str] = &[
    "returns",
    "error",
    "value",
    "len",
    "each",
    "order",
    "elapsed",
    "stdout",
    "arrivals",
    "finished_by",
    "max_blocked",
    "peers",
];

/// What `failed` holds for a case: the expectation keys it gives, `max_blocked` (always
/// checked), and its `assert` names (as [`super::Expect::names`] gives them once compiled).
pub fn expectation_names(raw: &RawExpect) -> Vec<String> {
    let given = [
        ("returns", raw.returns.is_some()),
        ("error", raw.error.is_some()),
        ("value", raw.value.is_some()),
        ("len", raw.len.is_some()),
        ("each", raw.each.is_some()),
        ("order", raw.order.is_some()),
        ("elapsed", raw.elapsed.is_some()),
        ("stdout", raw.stdout.is_some()),
        ("arrivals", raw.arrivals.is_some()),
        ("finished_by", raw.finished_by.is_some()),
        ("max_blocked", true),
        ("peers", raw.peers.is_some()),
    ];
    given
        .iter()
        .filter(|(_, g)| *g)
        .map(|(k, _)| k.to_string())
        .chain(
            raw.assert
                .iter()
                .flat_map(|a| a.get_ref())
                .map(|a| a.name.get_ref().clone()),
        )
        .collect()
}

/// Whether `name` can follow `failed.`: letters, digits and `_`, not starting with a digit.
pub fn is_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !["and", "or", "not", "in", "true", "false"].contains(&name)
}

/// Why an expression of type `found` cannot be the value of `key`, if it cannot.
pub fn wrong_type(key: &str, found: &Type) -> Option<String> {
    let fits = |wanted: &[Type]| *found == Type::Any || wanted.contains(found);
    let (wanted, what) = match key {
        "when" | "that" => (vec![Type::Bool], "a condition (true/false)"),
        "each" => (vec![Type::Range, Type::Bool], "a range or a condition"),
        "uniform" => (vec![Type::Range], "a range"),
        "says" => return None,
        _ => (vec![Type::Num], "a number (a time, a count)"),
    };
    (!fits(&wanted)).then(|| format!("`{key}` is {what}; this is {found}"))
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
