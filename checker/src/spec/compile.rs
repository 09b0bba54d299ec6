//! From a [`RawSpec`] to a [`Lesson`]: every expression parsed, every name it reads checked,
//! every problem located in the file.
//!
//! This file compiles a spec and its cases; `exprs.rs` parses and checks each expression, and
//! `expect.rs` compiles a case's expectations and the diagnoses.

mod expect;
mod exprs;

use std::collections::HashSet;

use toml::Spanned;

use super::document::is_placeholder;
use super::error::Locator;
use super::names::expectation_names;
use super::raw::{RawCase, RawSource, RawSpec};
use super::{
    CallCase, Case, CaseKind, DEFAULT_TIMEOUT, DEFAULT_VIRTUAL_TIMEOUT, Diagnose, Lesson,
    SourceRule,
};
use crate::expr::Env;

/// Compiles specs, recording problems in a [`Locator`].
pub struct Compiler<'l, 'a> {
    /// Where problems go.
    pub locator: &'l mut Locator<'a>,
    /// The types of the names the expressions being compiled may read.
    types: Env,
}

impl<'l, 'a> Compiler<'l, 'a> {
    /// A compiler recording problems in `locator`.
    pub fn new(locator: &'l mut Locator<'a>) -> Self {
        Compiler {
            locator,
            types: Env::new(),
        }
    }

    /// Compiles a whole spec; `None` when it has problems (all of them recorded).
    pub fn lesson(&mut self, raw: &RawSpec, number: usize) -> Option<Lesson> {
        let errors_before = self.locator.errors.len();
        if raw.cases.is_empty() && raw.source.is_empty() {
            self.locator.error_at(
                raw.lesson.span(),
                "the spec has no `[[case]]` and no `[[source]]` check",
            );
        }
        let timeout = self.seconds("timeout", raw.timeout.as_ref(), DEFAULT_TIMEOUT);
        let virtual_timeout = self.seconds(
            "virtual_timeout",
            raw.virtual_timeout.as_ref(),
            DEFAULT_VIRTUAL_TIMEOUT,
        );
        // The lesson's diagnoses see every case, so they may read any case's arguments.
        let all_args: Vec<String> = raw
            .cases
            .iter()
            .flat_map(arg_names)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let every_expectation: Vec<String> = raw
            .cases
            .iter()
            .flat_map(|c| expectation_names(&c.expect))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        self.set_types(raw.cases.iter(), every_expectation);
        let lesson_diagnoses = self.diagnoses(&raw.diagnose, &all_args);
        let checks = raw.cases.len() + raw.source.len();
        // The lesson's points, shared in milli-points: the shares add up to them exactly.
        let mut shares = match self.points(raw.points.as_ref()) {
            Some(points) => crate::points::split(crate::points::to_millis(points), checks),
            None => vec![crate::points::SCALE; checks],
        }
        .into_iter()
        .map(crate::points::from_millis);
        let mut cases = Vec::new();
        let mut names = HashSet::new();
        for case in &raw.cases {
            if !is_placeholder(&case.name) && !names.insert(case.name.get_ref().clone()) {
                self.locator.error_at(
                    case.name.span(),
                    format!("a second case named `{}`", case.name.get_ref()),
                );
            }
            let context = CaseContext {
                timeout,
                virtual_timeout,
                lesson_diagnoses: &lesson_diagnoses,
                share: shares.next().unwrap_or(0.0),
            };
            if let Some(compiled) = self.case(raw, case, &context) {
                cases.push(compiled);
            }
        }
        for rule in &raw.source {
            let share = shares.next().unwrap_or(0.0);
            let points = self.points(rule.points.as_ref()).unwrap_or(share);
            cases.push(compile_source(rule, points));
        }
        if self.locator.errors.len() > errors_before {
            return None;
        }
        Some(Lesson {
            number,
            id: raw.lesson.get_ref().clone(),
            title: raw.title.clone(),
            file: raw.file.get_ref().clone(),
            hint: raw.hint.clone(),
            spec_path: self.locator.path.to_path_buf(),
            cases,
        })
    }

    /// Points must be a finite number, not negative.
    fn points(&mut self, points: Option<&Spanned<f64>>) -> Option<f64> {
        let points = points?;
        let value = *points.get_ref();
        if !(value.is_finite() && value >= 0.0) {
            self.locator.error_at(
                points.span(),
                format!("`points` must be a number of points, 0 or more; it is {value}"),
            );
            return None;
        }
        if value > crate::points::MAX_POINTS || !crate::points::is_thousandths(value) {
            self.locator.error_at(
                points.span(),
                format!(
                    "`points` are counted in thousandths of a point, up to {}; {value} is not (write it with at most 3 decimals)",
                    crate::points::MAX_POINTS
                ),
            );
            return None;
        }
        Some(crate::points::from_millis(crate::points::to_millis(value)))
    }

    fn case(&mut self, raw: &RawSpec, case: &RawCase, context: &CaseContext) -> Option<Case> {
        let args = arg_names(case);
        self.set_types(std::iter::once(case), expectation_names(&case.expect));
        let function = case.function.as_ref().or(raw.function.as_ref());
        if function.is_none() {
            self.locator.error_at(
                case.name.span(),
                "the case names no `function` and the spec has none",
            );
        }
        let mut expect = self.expect(&case.expect, &args);
        let peers = self.peers(case);
        expect.peers = self.peer_lines(&case.expect, &peers, &args);
        let mut diagnose = self.diagnoses(&case.diagnose, &args);
        diagnose.extend(context.lesson_diagnoses.iter().cloned());
        let repeat = case.repeat.unwrap_or(1);
        if repeat == 0 {
            self.locator
                .error_at(case.name.span(), "`repeat` must be at least 1");
        }
        let points = self.points(case.points.as_ref()).unwrap_or(context.share);
        let timeout = self.seconds("timeout", case.timeout.as_ref(), context.timeout);
        let settle = self.seconds("settle", case.settle.as_ref(), 0.0);
        let cost = self.seconds("cost", case.cost.as_ref(), 0.0);
        let shutdown = self.shutdown(case);
        Some(Case {
            name: case.name.get_ref().clone(),
            function: function?.get_ref().clone(),
            points,
            hidden: case.hidden,
            kind: CaseKind::Call(Box::new(CallCase {
                args: case
                    .args
                    .iter()
                    .flat_map(|args| args.get_ref())
                    .map(|(k, v)| (k.get_ref().clone(), toml_to_json(v)))
                    .collect(),
                repeat,
                timeout,
                virtual_timeout: context.virtual_timeout,
                settle,
                expect,
                diagnose,
                peers,
                cost,
                shutdown,
            })),
        })
    }
}

/// What a case inherits from its spec.
struct CaseContext<'d> {
    timeout: f64,
    virtual_timeout: f64,
    lesson_diagnoses: &'d [Diagnose],
    share: f64,
}

/// The argument names of a case.
pub fn arg_names(case: &RawCase) -> Vec<String> {
    case.args
        .iter()
        .flat_map(|args| args.get_ref().keys())
        .map(|k| k.get_ref().clone())
        .collect()
}

/// Converts a TOML value to JSON (datetimes become text).
pub fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::from(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Value::from(*f),
        toml::Value::Boolean(b) => serde_json::Value::from(*b),
        toml::Value::Datetime(d) => serde_json::Value::from(d.to_string()),
        toml::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(toml_to_json).collect())
        }
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

fn compile_source(rule: &RawSource, points: f64) -> Case {
    let function = rule.function.get_ref().clone();
    let mut name = format!("source of `{function}`");
    if !rule.require.is_empty() {
        name.push_str(&format!(" calls {}", rule.require.join(", ")));
    }
    if !rule.forbid.is_empty() {
        name.push_str(if rule.require.is_empty() {
            " avoids "
        } else {
            "; avoids "
        });
        name.push_str(&rule.forbid.join(", "));
    }
    Case {
        name,
        function,
        points,
        hidden: rule.hidden,
        kind: CaseKind::Source(SourceRule {
            forbid: rule.forbid.clone(),
            require: rule.require.clone(),
            says: rule.says.clone(),
        }),
    }
}
