//! The specs' `[[diagnose]]` rules: the first whose condition holds and whose cause the
//! source shows names the mistake, its placeholders filled in from the call's names.

use crate::expr::{Expr, Value, Vars};
use crate::spec::Diagnose;
use crate::text::numbers::format_number;

/// The first diagnosis whose condition holds and whose cause the source shows, with its
/// placeholders filled in.
///
/// Grounding is checked here, for every rule: a rule's `cause` names the constructs its
/// message blames, and a rule is skipped unless `uses` (the source's facts) holds each of them.
/// A call whose source could not be read has no `uses`, and no rule with a cause fires for it.
pub fn diagnose(rules: &[Diagnose], vars: &Vars) -> Option<String> {
    rules
        .iter()
        .find(|rule| grounded(rule, vars) && rule.when.eval_bool(vars).unwrap_or(false))
        .map(|rule| fill(&rule.says, vars))
}

/// Whether the source uses every construct `rule` blames.
fn grounded(rule: &Diagnose, vars: &Vars) -> bool {
    if rule.cause.is_empty() {
        return true;
    }
    let Some(Value::List(uses)) = vars.get("uses") else {
        return false;
    };
    rule.cause.iter().all(|cause| {
        uses.iter()
            .any(|u| matches!(u, Value::Text(t) if t == cause))
    })
}

/// Replaces each `{expression}` of `says` with its value (`{{` and `}}` are braces).
pub fn fill(says: &str, vars: &Vars) -> String {
    let mut out = String::new();
    for part in crate::spec::says_parts(says) {
        match part {
            crate::spec::SaysPart::Text(text) => out.push_str(&text),
            crate::spec::SaysPart::Placeholder(placeholder) => {
                match Expr::parse(placeholder.text).and_then(|e| e.eval(vars)) {
                    Ok(Value::Num(n)) => out.push_str(&format_number(n)),
                    Ok(Value::Text(s)) => out.push_str(&s),
                    Ok(value) => out.push_str(&value.to_string()),
                    Err(_) => {
                        out.push('{');
                        out.push_str(placeholder.text);
                        out.push('}');
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let mut vars = Vars::new();
        vars.set("elapsed", Value::Num(23.4));
        vars.set(
            "result",
            Value::List(vec![Value::Num(9.8), Value::Num(13.6)]),
        );
        assert_eq!(
            fill(
                "took {elapsed} s; the longest is {max(result)} s; {nope}",
                &vars
            ),
            "took 23.4 s; the longest is 13.6 s; {nope}"
        );
        assert_eq!(
            fill("a set {{1, 2}} of {len(result)}", &vars),
            "a set {1, 2} of 2"
        );
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let mut vars = Vars::new();
        vars.set("elapsed", Value::Num(3.0));
        let rule = |when: &str, says: &str| Diagnose {
            cause: Vec::new(),
            when: Expr::parse(when).unwrap(),
            says: says.into(),
        };
        let rules = [
            rule("elapsed < 1", "fast"),
            rule("elapsed ~ 3s", "sequential"),
            rule("true", "other"),
        ];
        assert_eq!(diagnose(&rules, &vars).as_deref(), Some("sequential"));
        // A rule that cannot be evaluated (unknown name) does not match.
        assert_eq!(diagnose(&[rule("result > 1", "x")], &vars), None);
    }

    #[test]
    fn a_rule_fires_only_when_the_source_uses_what_it_blames() {
        let blaming = |cause: &[&str]| Diagnose {
            cause: cause.iter().map(|c| c.to_string()).collect(),
            when: Expr::parse("true").unwrap(),
            says: "blames".into(),
        };
        let mut vars = Vars::new();
        // No source facts at all: nothing may be blamed.
        assert_eq!(diagnose(&[blaming(&["spawn"])], &vars), None);
        assert_eq!(diagnose(&[blaming(&[])], &vars).as_deref(), Some("blames"));
        let uses = |names: &[&str]| {
            Value::List(names.iter().map(|n| Value::Text(n.to_string())).collect())
        };
        vars.set("uses", uses(&["spawn", "sleep"]));
        assert_eq!(
            diagnose(&[blaming(&["spawn", "sleep"])], &vars).as_deref(),
            Some("blames")
        );
        // One construct missing is enough to skip it, and the next rule is tried.
        let rules = [blaming(&["spawn", "unbounded_channel"]), blaming(&[])];
        assert_eq!(diagnose(&rules[..1], &vars), None);
        assert_eq!(diagnose(&rules, &vars).as_deref(), Some("blames"));
    }
}
