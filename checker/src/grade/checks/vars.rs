//! The variables of one call, as the spec's expressions read them, and the values a call
//! returned.

use asynclings_runner::protocol::{Line, Run};

use super::timing::{Timing, check_ascending};
use crate::expr::{Value, Vars};

/// The variables of a call: arguments, `result`, `elapsed`, `real`, `arrivals`, `in_order`,
/// and, when given, `lines` and `line_times` (what was printed, and when).
pub fn call_vars<'a>(
    args: &'a Vars<'a>,
    run: &Run,
    stdout: Option<&[Line]>,
    timing: Timing,
) -> Vars<'a> {
    let mut vars = Vars::inside(args);
    vars.set("finished", Value::Bool(true));
    let error = error_of(&run.value);
    // The error's kind, or empty text for a value: `when = "error == ''"` reads "no error".
    vars.set(
        "error",
        Value::Text(error.map_or_else(String::new, |(kind, _)| kind.to_string())),
    );
    // A returned `Err` has no value: `result` is nothing, `error` its kind.
    let result = match error {
        Some(_) => Value::Null,
        None => Value::from_json(&run.value),
    };
    if let (Value::List(_), Some(numbers)) = (&result, result.numbers()) {
        vars.set(
            "in_order",
            Value::Bool(check_ascending(&numbers, timing).is_none()),
        );
    }
    if let Some(lines) = stdout {
        vars.set(
            "lines",
            Value::List(lines.iter().map(|l| Value::Text(l.text.clone())).collect()),
        );
        vars.set(
            "line_times",
            Value::List(lines.iter().map(|l| Value::Num(l.at)).collect()),
        );
    }
    vars.set("result", result);
    vars.set("elapsed", Value::Num(run.elapsed));
    vars.set("real", Value::Num(run.real));
    if let Some(arrivals) = &run.arrivals {
        vars.set(
            "arrivals",
            Value::List(arrivals.iter().map(|t| Value::Num(*t)).collect()),
        );
    }
    vars
}

/// The kind and message of a returned `Err` (the runner reports one as
/// `{"error": {"kind": .., "message": ..}}`), or `None` for a value.
pub fn error_of(value: &serde_json::Value) -> Option<(&str, &str)> {
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    let detail = object.get(asynclings_runner::protocol::ERROR_KEY)?;
    Some((
        detail.get("kind")?.as_str()?,
        detail.get("message")?.as_str()?,
    ))
}

/// The values a call returned, as a list (a single value is a list of one), borrowed when it
/// is one already: results can hold a million values.
pub fn values_of(result: &Value) -> std::borrow::Cow<'_, [Value]> {
    match result {
        Value::List(items) => std::borrow::Cow::Borrowed(items),
        Value::Null => std::borrow::Cow::Owned(Vec::new()),
        other => std::borrow::Cow::Owned(vec![other.clone()]),
    }
}

/// The numbers a call returned (every element of a list, or the number itself), read from
/// the JSON directly.
pub fn numbers_of(value: &serde_json::Value) -> Vec<f64> {
    match value {
        serde_json::Value::Array(items) => {
            items.iter().filter_map(serde_json::Value::as_f64).collect()
        }
        other => other.as_f64().into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{VIRTUAL, run};
    use super::*;
    use crate::expr::Expr;

    #[test]
    fn the_error_and_finished_names_are_set_for_conditions() {
        let args = Vars::new();
        let timeout = run(
            serde_json::json!({"error": {"kind": "timeout", "message": "m"}}),
            2.0,
        );
        let vars = call_vars(&args, &timeout, None, VIRTUAL);
        let holds = |text: &str, vars: &Vars| Expr::parse(text).unwrap().eval_bool(vars).unwrap();
        assert!(holds("error == 'timeout' and finished", &vars));
        assert_eq!(vars.get("result"), Some(&Value::Null));
        let value = run(serde_json::json!(1.5), 1.5);
        let vars = call_vars(&args, &value, None, VIRTUAL);
        assert!(holds("error == ''", &vars));
    }
}
