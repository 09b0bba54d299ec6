//! A call case's expectations (`[case.expect]`, its `stdout` lines and `assert` clauses) and
//! the diagnoses of a case or a lesson, compiled.

use std::collections::HashSet;

use toml::Spanned;

use super::{Compiler, toml_to_json};
use crate::spec::document::is_placeholder;
use crate::spec::names::{EXPECTATION_KEYS, is_name};
use crate::spec::raw::{RawDiagnose, RawExpect, RawLine};
use crate::spec::says::placeholders;
use crate::spec::{
    Assert, DEFAULT_ALPHA, DEFAULT_MAX_BLOCKED, DEFAULT_TOLERANCE, Diagnose, Expect, LineGroup,
};

impl Compiler<'_, '_> {
    /// Compiles diagnoses whose conditions may read `args`.
    pub(super) fn diagnoses(&mut self, raw: &[RawDiagnose], args: &[String]) -> Vec<Diagnose> {
        raw.iter()
            .filter_map(|d| {
                let when = self.expr("when", &d.when, args);
                let mut says_ok = true;
                if !is_placeholder(&d.says) {
                    for placeholder in placeholders(d.says.get_ref()) {
                        let span = d.says.span();
                        let start =
                            self.inside(&span, d.says.get_ref(), 0, false) + placeholder.start;
                        let end = start + placeholder.text.len();
                        says_ok &= self
                            .parse_at("says", placeholder.text, &(start..end), args, false)
                            .is_some();
                    }
                }
                Some(Diagnose {
                    when: when?,
                    says: says_ok.then(|| d.says.get_ref().clone())?,
                    cause: d.cause.clone(),
                })
            })
            .collect()
    }

    fn stdout(&mut self, raw: &RawExpect, args: &[String]) -> Option<Vec<LineGroup>> {
        let lines = raw.stdout.as_ref()?;
        Some(self.line_groups(lines.get_ref(), args))
    }

    /// Compiles `stdout` entries (of `stdout`, or of a peer in `expect.peers`).
    pub(in crate::spec) fn line_groups(
        &mut self,
        entries: &[Spanned<RawLine>],
        args: &[String],
    ) -> Vec<LineGroup> {
        let mut groups = Vec::new();
        for entry in entries {
            let span = entry.span();
            let at = |c: &mut Self, text: &Option<String>| {
                text.as_ref()
                    .and_then(|t| c.parse_at("at", t, &span, args, true))
            };
            groups.push(match entry.get_ref() {
                RawLine::Text(text) => LineGroup {
                    lines: vec![text.clone()],
                    any_order: false,
                    at: None,
                },
                RawLine::Timed { line, at: when } => LineGroup {
                    lines: vec![line.clone()],
                    any_order: false,
                    at: at(self, when),
                },
                RawLine::Group {
                    any_order,
                    at: when,
                } => LineGroup {
                    lines: any_order.clone(),
                    any_order: true,
                    at: at(self, when),
                },
                RawLine::Invalid(why) => {
                    self.locator.error_at(span.clone(), why.clone());
                    continue;
                }
            });
        }
        groups
    }

    pub(super) fn expect(&mut self, raw: &RawExpect, args: &[String]) -> Expect {
        let opt = |c: &mut Self, key: &str, v: &Option<Spanned<String>>| {
            v.as_ref().and_then(|t| c.expr(key, t, args))
        };
        let ascending = match &raw.order {
            None => false,
            Some(order) if order.get_ref() == "ascending" => true,
            Some(order) => {
                self.locator.error_at(
                    order.span(),
                    "`order` can only be \"ascending\" (completion order)",
                );
                false
            }
        };
        if let Some(alpha) = &raw.alpha
            && !(*alpha.get_ref() > 0.0 && *alpha.get_ref() < 1.0)
        {
            self.locator.error_at(
                alpha.span(),
                format!(
                    "`alpha` must be between 0 and 1 (exclusive); it is {}",
                    alpha.get_ref()
                ),
            );
        }
        let error = raw.error.as_ref().and_then(|kind| {
            let kinds = asynclings_runner::protocol::ERROR_KINDS;
            if kinds.iter().any(|(k, _)| k == kind.get_ref()) {
                return Some(kind.get_ref().clone());
            }
            let known: Vec<String> = kinds.iter().map(|(k, _)| format!("\"{k}\"")).collect();
            self.locator.error_at(
                kind.span(),
                format!(
                    "`error` is the kind of error expected: {}",
                    known.join(", ")
                ),
            );
            None
        });
        Expect {
            returns: raw.returns.as_ref().map(toml_to_json),
            error,
            value: opt(self, "value", &raw.value),
            len: opt(self, "len", &raw.len),
            each: opt(self, "each", &raw.each),
            ascending,
            elapsed: opt(self, "elapsed", &raw.elapsed),
            tolerance: self.seconds("tolerance", raw.tolerance.as_ref(), DEFAULT_TOLERANCE),
            stdout: self.stdout(raw, args),
            arrivals: opt(self, "arrivals", &raw.arrivals),
            finished_by: opt(self, "finished_by", &raw.finished_by),
            uniform: opt(self, "uniform", &raw.uniform),
            alpha: raw.alpha.as_ref().map_or(DEFAULT_ALPHA, |a| *a.get_ref()),
            max_blocked: self.seconds("max_blocked", raw.max_blocked.as_ref(), DEFAULT_MAX_BLOCKED),
            asserts: self.asserts(raw, args),
            peers: None,
        }
    }

    /// Compiles the `assert` clauses: each named once, with a name `failed.NAME` can read.
    fn asserts(&mut self, raw: &RawExpect, args: &[String]) -> Vec<Assert> {
        let Some(clauses) = &raw.assert else {
            return Vec::new();
        };
        let mut names = HashSet::new();
        let mut asserts = Vec::new();
        for clause in clauses.get_ref() {
            let name = clause.name.get_ref();
            let problem = if !is_name(name) {
                Some(format!(
                    "an assert's name is letters, digits and `_`, not starting with a digit (diagnoses read it as `failed.{name}`)"
                ))
            } else if EXPECTATION_KEYS.contains(&name.as_str()) {
                Some(format!(
                    "`{name}` is an expectation's key: `failed.{name}` would mean both; name the assert otherwise"
                ))
            } else if !names.insert(name.clone()) {
                Some(format!("a second assert named `{name}`"))
            } else {
                None
            };
            if let Some(problem) = problem {
                if !is_placeholder(&clause.name) {
                    self.locator.error_at(clause.name.span(), problem);
                }
                continue;
            }
            if let Some(that) = self.expr("that", &clause.that, args) {
                asserts.push(Assert {
                    name: name.clone(),
                    that,
                });
            }
        }
        asserts
    }
}
