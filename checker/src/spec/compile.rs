//! From a [`RawSpec`] to a [`Lesson`]: every expression parsed, every name it reads checked,
//! every problem located in the file.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;

use super::document::is_placeholder;
use super::error::Locator;
use super::names::{
    EXPECTATION_KEYS, Scope, expectation_names, is_name, provided_types, wrong_type,
};
use super::raw::{RawCase, RawDiagnose, RawExpect, RawLine, RawSource, RawSpec};
use super::says::placeholders;
use super::{
    Assert, CallCase, Case, CaseKind, DEFAULT_ALPHA, DEFAULT_MAX_BLOCKED, DEFAULT_TIMEOUT,
    DEFAULT_TOLERANCE, DEFAULT_VIRTUAL_TIMEOUT, Diagnose, Expect, Lesson, LineGroup, SourceRule,
};
use crate::expr::{Env, Expr, Type, Value, Vars};

/// Longest expression accepted, in bytes: far above any real one, low enough to keep the
/// parser's recursion shallow.
const MAX_EXPRESSION_LEN: usize = 2000;
/// Deepest nesting of brackets accepted in an expression.
const MAX_NESTING: usize = 32;
/// Longest constant duration (a timeout, a tolerance): 30 days. Longer ones would overflow
/// the clocks they are added to.
const MAX_SECONDS: f64 = 30.0 * 86400.0;

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

    /// Sets the types of the names expressions may read next: the arguments' (a name given
    /// values of different types by different cases may be anything) and the grader's.
    fn set_types<'c>(
        &mut self,
        cases: impl Iterator<Item = &'c RawCase>,
        expectations: Vec<String>,
    ) {
        let mut types = provided_types(expectations);
        let mut args: Env = Env::new();
        for case in cases {
            for (name, value) in case.args.iter().flat_map(|a| a.get_ref()) {
                let t = Type::of(&Value::from_json(&toml_to_json(value)));
                args.entry(name.get_ref().clone())
                    .and_modify(|known| {
                        if *known != t {
                            *known = Type::Any;
                        }
                    })
                    .or_insert(t);
            }
        }
        types.extend(args);
        self.types = types;
    }

    /// The file offset of byte `offset` of the string `value` written at `span`: found when
    /// the literal shows the value verbatim (no escapes), else the literal's start.
    fn inside(&self, span: &Range<usize>, value: &str, offset: usize, last: bool) -> usize {
        let literal = self.locator.text.get(span.clone()).unwrap_or("");
        let found = if value.is_empty() {
            None
        } else if last {
            literal.rfind(value)
        } else {
            literal.find(value)
        };
        match found {
            Some(at) => span.start + at + offset.min(value.len()),
            None => span.start,
        }
    }

    /// Parses the expression `text` of `key`, written at `span`, and checks the names it reads.
    fn parse_at(
        &mut self,
        key: &str,
        text: &str,
        span: &Range<usize>,
        args: &[String],
        last: bool,
    ) -> Option<Expr> {
        if let Some(problem) = too_complex(text) {
            self.locator
                .error_at(span.clone(), format!("in `{key}`: {problem}"));
            return None;
        }
        let expr = match Expr::parse(text) {
            Ok(expr) => expr,
            Err(error) => {
                let at = self.inside(span, text, error.offset.unwrap_or(0), last);
                self.locator
                    .error_at(at..at, format!("in `{key}`: {}", error.message));
                return None;
            }
        };
        let scope = Scope::of(key);
        let mut ok = true;
        for (name, offset) in expr.variables() {
            if scope.allows(&name, args) {
                continue;
            }
            ok = false;
            let at = self.inside(span, text, offset, last);
            self.locator
                .error_at(at..at + name.len(), unknown_name(key, &name, scope, args));
        }
        if !ok {
            return None;
        }
        match expr.check_types(&self.types) {
            Err(error) => {
                let at = self.inside(span, text, error.offset.unwrap_or(0), last);
                self.locator
                    .error_at(at..at, format!("in `{key}`: {}", error.message));
                None
            }
            Ok(found) => match wrong_type(key, &found) {
                Some(problem) => {
                    let at = self.inside(span, text, 0, last);
                    self.locator
                        .error_at(at..at + text.len(), format!("in `{key}`: {problem}"));
                    None
                }
                None => Some(expr),
            },
        }
    }

    /// Parses the expression of `key`, a TOML string.
    fn expr(&mut self, key: &str, text: &Spanned<String>, args: &[String]) -> Option<Expr> {
        if is_placeholder(text) {
            return None;
        }
        self.parse_at(key, text.get_ref(), &text.span(), args, false)
    }

    /// Parses an expression that must be a constant duration (a timeout).
    pub(super) fn seconds(
        &mut self,
        key: &str,
        text: Option<&Spanned<String>>,
        default: f64,
    ) -> f64 {
        let Some(text) = text else { return default };
        let Some(expr) = self.expr(key, text, &[]) else {
            return default;
        };
        match expr.eval_number(&Vars::new()) {
            Ok(seconds) if (0.0..=MAX_SECONDS).contains(&seconds) => seconds,
            _ => {
                self.locator.error_at(
                    text.span(),
                    format!("`{key}` must be a duration from 0 to 30 days, such as \"10s\""),
                );
                default
            }
        }
    }

    /// Compiles diagnoses whose conditions may read `args`.
    fn diagnoses(&mut self, raw: &[RawDiagnose], args: &[String]) -> Vec<Diagnose> {
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
    pub(super) fn line_groups(
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

    fn expect(&mut self, raw: &RawExpect, args: &[String]) -> Expect {
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

fn unknown_name(key: &str, name: &str, scope: Scope, args: &[String]) -> String {
    let mut known: Vec<String> = args.iter().map(|a| format!("`{a}`")).collect();
    known.extend(scope.provided().iter().map(|n| format!("`{n}`")));
    if known.is_empty() {
        format!("in `{key}`: unknown name `{name}`: `{key}` is a constant such as \"5s\"")
    } else {
        format!(
            "in `{key}`: unknown name `{name}` (it may read {})",
            known.join(", ")
        )
    }
}

/// Why an expression is too long or too deeply nested to parse safely, if it is.
fn too_complex(text: &str) -> Option<String> {
    if text.len() > MAX_EXPRESSION_LEN {
        return Some(format!(
            "the expression is {} bytes long; at most {MAX_EXPRESSION_LEN} are allowed",
            text.len()
        ));
    }
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        // Runs of prefix operators (`- - - x`) recurse like brackets do.
        prefix_run = if c == '-' {
            prefix_run + 1
        } else if c.is_whitespace() {
            prefix_run
        } else {
            0
        };
        if depth > MAX_NESTING || prefix_run > MAX_NESTING {
            return Some(format!(
                "the expression nests more than {MAX_NESTING} levels deep"
            ));
        }
    }
    None
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
