//! Wording of an expectation a call failed, where the check itself does not say it: a false
//! `assert` clause, and a printed line that differs only by invisible characters.

use crate::expr::{Value, Why};

/// A named `assert` clause that is false: where its quantifiers were (`for j = 3, k = 4`,
/// positions counted from 0 as the language counts them), the part that is false, and the
/// values that part compared or read.
pub fn assert_failed(name: &str, why: &Why) -> String {
    let shown = |value: &Value| value.to_string();
    let mut out = format!("assert `{name}` fails");
    if !why.at.is_empty() {
        let at: Vec<String> = why
            .at
            .iter()
            .map(|(bound, value)| format!("{bound} = {}", shown(value)))
            .collect();
        out.push_str(&format!(" for {}", at.join(", ")));
    }
    out.push_str(&format!(": `{}` is false", why.part));
    let values: Vec<String> = why
        .values
        .iter()
        .filter(|(text, _)| !why.at.iter().any(|(bound, _)| bound == text))
        .map(|(text, value)| format!("{text} = {}", shown(value)))
        .collect();
    if !values.is_empty() {
        out.push_str(&format!(" ({})", values.join(", ")));
    }
    out
}

/// A named `assert` clause that could not be evaluated for the call.
pub fn assert_not_evaluated(name: &str, error: &str) -> String {
    format!("assert `{name}` cannot be evaluated for this call: {error}")
}

/// A printed line that differs from the expected one only by invisible characters.
pub fn invisible_difference(shown: &str, expected: &str, hidden: &[char]) -> String {
    let codes: Vec<String> = hidden
        .iter()
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    format!(
        "printed `{shown}` where `{expected}` was expected: the same text but for an invisible character ({}), which the comparison sees and a terminal does not show",
        codes.join(", ")
    )
}
