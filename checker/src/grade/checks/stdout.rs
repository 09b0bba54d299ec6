//! The printed lines of a call against the spec's `stdout` groups: text, order (or any order
//! within a group) and the time each was printed, within the case's tolerance.

use super::timing::Timing;
use crate::expr::Vars;
use crate::spec::LineGroup;
use crate::text::numbers::secs;
use asynclings_runner::protocol::Line;

pub(super) fn describe_lines(lines: &[Line]) -> String {
    if lines.is_empty() {
        return "  (nothing)".into();
    }
    lines
        .iter()
        .take(20)
        .map(|l| format!("  {:>8}  {}", secs(l.at), shown_line(l)))
        .chain((lines.len() > 20).then(|| format!("  … {} more lines", lines.len() - 20)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A printed line as a message quotes it: its bytes, when they are not UTF-8, with each
/// invalid byte shown as `\xNN` (the text alone would hold U+FFFD in their place).
pub(super) fn shown_line(line: &Line) -> std::borrow::Cow<'_, str> {
    match &line.raw {
        Some(raw) => crate::text::safe::bytes(raw).into(),
        None => line.text.as_str().into(),
    }
}

/// A printed line that differs from an expected one only by characters that print as nothing
/// (a zero-width space, a byte-order mark, a bidirectional mark): a difference the comparison
/// sees and the student cannot. Returns the diagnosis.
pub fn invisible_difference(groups: &[LineGroup], lines: &[Line]) -> Option<String> {
    use crate::text::safe;
    let expected: Vec<&str> = groups
        .iter()
        .flat_map(|g| g.lines.iter().map(String::as_str))
        .collect();
    lines.iter().find_map(|line| {
        if expected.contains(&line.text.as_str()) {
            return None;
        }
        let hidden: Vec<char> = line.text.chars().filter(|&c| safe::invisible(c)).collect();
        let visible: String = line.text.chars().filter(|&c| !safe::invisible(c)).collect();
        (!hidden.is_empty() && expected.contains(&visible.as_str())).then(|| {
            crate::grade::message::invisible_difference(&safe::line(&line.text), &visible, &hidden)
        })
    })
}

pub(super) fn check_stdout(
    groups: &[LineGroup],
    vars: &Vars,
    lines: &[Line],
    timing: Timing,
) -> Option<String> {
    let printed = || {
        format!(
            "printed (time on the clock, line):\n{}",
            describe_lines(lines)
        )
    };
    let mut position = 0;
    for group in groups {
        let end = position + group.lines.len();
        let Some(got) = lines.get(position..end) else {
            let missing =
                &group.lines[(lines.len().saturating_sub(position)).min(group.lines.len())..];
            return Some(format!(
                "missing line `{}`; {}",
                missing.first().map_or("", String::as_str),
                printed()
            ));
        };
        let mut expected: Vec<&str> = group.lines.iter().map(String::as_str).collect();
        let mut observed: Vec<&str> = got.iter().map(|l| l.text.as_str()).collect();
        if group.any_order {
            expected.sort_unstable();
            observed.sort_unstable();
        }
        if let Some(k) = (0..expected.len()).find(|&k| expected[k] != observed[k]) {
            let what = if group.any_order {
                format!("expected the lines {:?} (in any order)", group.lines)
            } else {
                format!(
                    "line {}: expected `{}`, got `{}`",
                    position + k + 1,
                    expected[k],
                    observed[k]
                )
            };
            return Some(format!("{what}; {}", printed()));
        }
        if let Some(at) = &group.at {
            let expected_at = match at.eval_number(vars) {
                Ok(t) => t,
                Err(e) => return Some(format!("cannot evaluate `{at}`: {e}")),
            };
            if let Some(line) = got.iter().find(|l| !timing.matches(l.at, expected_at)) {
                return Some(format!(
                    "`{}` was printed at {}; expected at {}; {}",
                    line.text,
                    secs(line.at),
                    secs(expected_at),
                    printed()
                ));
            }
        }
        position = end;
    }
    if let Some(extra) = lines.get(position) {
        return Some(format!(
            "printed more than expected, from `{}`; {}",
            extra.text,
            printed()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Expr;

    const VIRTUAL: Timing = Timing {
        tolerance: 0.001,
        real_clock: false,
    };

    fn line(text: &str, at: f64) -> Line {
        Line {
            text: text.into(),
            at,
            raw: None,
        }
    }

    fn group(lines: &[&str], any_order: bool, at: Option<&str>) -> LineGroup {
        LineGroup {
            lines: lines.iter().map(|s| s.to_string()).collect(),
            any_order,
            at: at.map(|t| Expr::parse(t).unwrap()),
        }
    }

    #[test]
    fn stdout_checks_text_order_and_time() {
        let vars = Vars::new();
        let groups = [
            group(&["Hello"], false, Some("0s")),
            group(&["World"], false, Some("1s")),
        ];
        let good = [line("Hello", 0.0), line("World", 1.0)];
        assert_eq!(check_stdout(&groups, &vars, &good, VIRTUAL), None);
        let early = [line("Hello", 0.0), line("World", 0.0)];
        let message = check_stdout(&groups, &vars, &early, VIRTUAL).unwrap();
        assert!(
            message.contains("`World` was printed at 0 s; expected at 1 s"),
            "{message}"
        );
        let missing = [line("Hello", 0.0)];
        assert!(
            check_stdout(&groups, &vars, &missing, VIRTUAL)
                .unwrap()
                .contains("missing line `World`")
        );
    }

    #[test]
    fn groups_accept_any_order_inside() {
        let vars = Vars::new();
        let groups = [
            group(&["a", "b"], true, Some("0s")),
            group(&["c"], false, None),
        ];
        assert_eq!(
            check_stdout(
                &groups,
                &vars,
                &[line("b", 0.0), line("a", 0.0), line("c", 5.0)],
                VIRTUAL
            ),
            None
        );
        assert!(
            check_stdout(
                &groups,
                &vars,
                &[line("a", 0.0), line("c", 0.0), line("b", 0.0)],
                VIRTUAL
            )
            .is_some()
        );
    }
}
