//! Reads spec files into lessons, reporting every problem with its location.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::raw::{RawCase, RawDiagnose, RawExpect, RawLine, RawSource, RawSpec};
use super::{
    CallCase, Case, CaseKind, DEFAULT_ALPHA, DEFAULT_TIMEOUT, DEFAULT_TOLERANCE,
    DEFAULT_VIRTUAL_TIMEOUT, Diagnose, Expect, Lesson, LineGroup, SourceRule,
};
use crate::expr::{Expr, Vars};

/// A problem in a spec file, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, 0 when the problem is the whole file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The line of the file it is on.
    pub snippet: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.path.display(), self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        if !self.snippet.is_empty() {
            let gutter = self.line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{} | {}\n{:gutter$} | {:>col$}",
                "",
                self.line,
                self.snippet,
                "",
                "^",
                col = self.column
            )?;
        }
        Ok(())
    }
}

/// Why specs could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A directory is missing or unreadable.
    #[error("{0}")]
    Directory(String),
    /// Spec files have problems; all of them are listed.
    #[error("{} problem(s) in the specs", .0.len())]
    Invalid(Vec<SpecError>),
}

/// Loads every `*.toml` spec of `dirs`, in file-name order within each directory.
pub fn load_dirs(dirs: &[PathBuf]) -> Result<Vec<Lesson>, LoadError> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|error| {
            LoadError::Directory(format!(
                "cannot read the spec directory {}: {error}",
                dir.display()
            ))
        })?;
        let mut in_dir: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        if in_dir.is_empty() {
            return Err(LoadError::Directory(format!(
                "no spec files (*.toml) in {}",
                dir.display()
            )));
        }
        in_dir.sort();
        files.extend(in_dir);
    }
    let mut lessons = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        match std::fs::read_to_string(&path) {
            Ok(text) => match load_text(&path, &text, lessons.len() + 1) {
                Ok(lesson) => lessons.push(lesson),
                Err(mut problems) => errors.append(&mut problems),
            },
            Err(error) => errors.push(SpecError {
                path: path.clone(),
                line: 0,
                column: 0,
                message: format!("cannot read: {error}"),
                snippet: String::new(),
            }),
        }
    }
    let mut seen = std::collections::HashMap::new();
    for lesson in &lessons {
        if let Some(first) = seen.insert(lesson.id.clone(), lesson.spec_path.clone()) {
            errors.push(SpecError {
                path: lesson.spec_path.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "lesson `{}` is already specified in {}",
                    lesson.id,
                    first.display()
                ),
                snippet: String::new(),
            });
        }
    }
    if errors.is_empty() {
        Ok(lessons)
    } else {
        Err(LoadError::Invalid(errors))
    }
}

/// Collects problems while compiling one spec.
struct Compiler<'a> {
    path: &'a Path,
    text: &'a str,
    errors: Vec<SpecError>,
}

impl Compiler<'_> {
    fn error_at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let offset = span.start.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        let snippet = self.text[line_start..]
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        self.errors.push(SpecError {
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
            snippet,
        });
    }

    /// Parses an expression written in a TOML string, locating errors inside it.
    fn expr(&mut self, key: &str, text: &Spanned<String>) -> Option<Expr> {
        match Expr::parse(text.get_ref()) {
            Ok(expr) => Some(expr),
            Err(error) => {
                // +1 skips the opening quote of a basic or literal string.
                let start = text.span().start + 1 + error.offset.unwrap_or(0);
                self.error_at(start..start, format!("in `{key}`: {}", error.message));
                None
            }
        }
    }

    /// Parses an expression that must be a constant duration (a timeout).
    fn seconds(&mut self, key: &str, text: Option<&Spanned<String>>, default: f64) -> f64 {
        let Some(text) = text else { return default };
        let Some(expr) = self.expr(key, text) else {
            return default;
        };
        match expr.eval_number(&Vars::new()) {
            Ok(seconds) if seconds >= 0.0 && seconds.is_finite() => seconds,
            _ => {
                self.error_at(
                    text.span(),
                    format!("`{key}` must be a duration such as \"10s\""),
                );
                default
            }
        }
    }

    fn diagnoses(&mut self, raw: &[RawDiagnose]) -> Vec<Diagnose> {
        raw.iter()
            .filter_map(|d| {
                let when = self.expr("when", &d.when)?;
                for placeholder in placeholders(d.says.get_ref()) {
                    if let Err(error) = Expr::parse(placeholder) {
                        self.error_at(
                            d.says.span(),
                            format!("in `says`, `{{{placeholder}}}`: {}", error.message),
                        );
                    }
                }
                Some(Diagnose {
                    when,
                    says: d.says.get_ref().clone(),
                })
            })
            .collect()
    }

    fn expect(&mut self, raw: &RawExpect) -> Expect {
        let opt = |c: &mut Self, key: &str, v: &Option<Spanned<String>>| {
            v.as_ref().and_then(|t| c.expr(key, t))
        };
        let ascending = match &raw.order {
            None => false,
            Some(order) if order.get_ref() == "ascending" => true,
            Some(order) => {
                self.error_at(
                    order.span(),
                    "`order` can only be \"ascending\" (completion order)",
                );
                false
            }
        };
        let stdout = raw.stdout.as_ref().map(|lines| {
            let span = lines.span();
            let at = |c: &mut Self, text: &Option<String>| {
                text.as_ref().and_then(|t| match Expr::parse(t) {
                    Ok(expr) => Some(expr),
                    Err(error) => {
                        c.error_at(
                            span.clone(),
                            format!("in `stdout`, `at = \"{t}\"`: {}", error.message),
                        );
                        None
                    }
                })
            };
            lines
                .get_ref()
                .iter()
                .map(|line| match line {
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
                })
                .collect()
        });
        Expect {
            returns: raw.returns.as_ref().map(toml_to_json),
            value: opt(self, "value", &raw.value),
            len: opt(self, "len", &raw.len),
            each: opt(self, "each", &raw.each),
            ascending,
            elapsed: opt(self, "elapsed", &raw.elapsed),
            tolerance: self.seconds("tolerance", raw.tolerance.as_ref(), DEFAULT_TOLERANCE),
            stdout,
            arrivals: opt(self, "arrivals", &raw.arrivals),
            finished_by: opt(self, "finished_by", &raw.finished_by),
            uniform: opt(self, "uniform", &raw.uniform),
            alpha: raw.alpha.unwrap_or(DEFAULT_ALPHA),
        }
    }
}

/// The `{expression}` placeholders of a diagnosis message.
pub fn placeholders(says: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = says;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        found.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    found
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

/// Compiles one spec file's text.
pub fn load_text(path: &Path, text: &str, number: usize) -> Result<Lesson, Vec<SpecError>> {
    let mut compiler = Compiler {
        path,
        text,
        errors: Vec::new(),
    };
    let raw: RawSpec = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            compiler.error_at(span, error.message().trim().to_string());
            return Err(compiler.errors);
        }
    };
    if raw.cases.is_empty() && raw.source.is_empty() {
        compiler.error_at(
            raw.lesson.span(),
            "the spec has no `[[case]]` and no `[[source]]` check",
        );
    }
    let timeout = compiler.seconds("timeout", raw.timeout.as_ref(), DEFAULT_TIMEOUT);
    let virtual_timeout = compiler.seconds(
        "virtual_timeout",
        raw.virtual_timeout.as_ref(),
        DEFAULT_VIRTUAL_TIMEOUT,
    );
    let lesson_diagnoses = compiler.diagnoses(&raw.diagnose);
    let checks = raw.cases.len() + raw.source.len();
    let share = raw.points.map_or(1.0, |p| p / checks.max(1) as f64);
    let mut cases = Vec::new();
    let mut names = std::collections::HashSet::new();
    for case in &raw.cases {
        if !names.insert(case.name.get_ref().clone()) {
            compiler.error_at(
                case.name.span(),
                format!("a second case named `{}`", case.name.get_ref()),
            );
        }
        if let Some(compiled) = compile_case(
            &mut compiler,
            &raw,
            case,
            timeout,
            virtual_timeout,
            &lesson_diagnoses,
            share,
        ) {
            cases.push(compiled);
        }
    }
    for rule in &raw.source {
        cases.push(compile_source(rule, share));
    }
    if !compiler.errors.is_empty() {
        return Err(compiler.errors);
    }
    Ok(Lesson {
        number,
        id: raw.lesson.into_inner(),
        title: raw.title,
        file: raw.file,
        hint: raw.hint,
        spec_path: path.to_path_buf(),
        cases,
    })
}

fn compile_case(
    compiler: &mut Compiler<'_>,
    raw: &RawSpec,
    case: &RawCase,
    timeout: f64,
    virtual_timeout: f64,
    lesson_diagnoses: &[Diagnose],
    share: f64,
) -> Option<Case> {
    let Some(function) = case.function.as_ref().or(raw.function.as_ref()) else {
        compiler.error_at(
            case.name.span(),
            "the case names no `function` and the spec has none",
        );
        return None;
    };
    let expect = compiler.expect(&case.expect);
    let mut diagnose = compiler.diagnoses(&case.diagnose);
    diagnose.extend(lesson_diagnoses.iter().cloned());
    let repeat = case.repeat.unwrap_or(1);
    if repeat == 0 {
        compiler.error_at(case.name.span(), "`repeat` must be at least 1");
    }
    let timeout = compiler.seconds("timeout", case.timeout.as_ref(), timeout);
    Some(Case {
        name: case.name.get_ref().clone(),
        function: function.get_ref().clone(),
        points: case.points.unwrap_or(share),
        hidden: case.hidden,
        kind: CaseKind::Call(Box::new(CallCase {
            args: case
                .args
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
            repeat,
            timeout,
            virtual_timeout,
            expect,
            diagnose,
        })),
    })
}

fn compile_source(rule: &RawSource, share: f64) -> Case {
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
        points: rule.points.unwrap_or(share),
        hidden: rule.hidden,
        kind: CaseKind::Source(SourceRule {
            forbid: rule.forbid.clone(),
            require: rule.require.clone(),
            says: rule.says.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Lesson, Vec<SpecError>> {
        load_text(Path::new("specs/test.toml"), text, 1)
    }

    const MINIMAL: &str = r#"
lesson = "wait_n"
title = "t"
file = "06_wait_n.rs"
hint = "h"
function = "wait_n"

[[case]]
name = "five"
args = { n = 5, max_delay = 10 }
expect = { len = "n", each = "0 ..= max_delay", order = "ascending", elapsed = "max(result)" }
"#;

    #[test]
    fn a_minimal_spec_loads() {
        let lesson = load(MINIMAL).unwrap();
        assert_eq!(lesson.id, "wait_n");
        assert_eq!(lesson.cases.len(), 1);
        let CaseKind::Call(call) = &lesson.cases[0].kind else {
            panic!("a call case")
        };
        assert!(call.expect.ascending);
        assert_eq!(call.expect.tolerance, DEFAULT_TOLERANCE);
        assert_eq!(call.args["n"], serde_json::json!(5));
    }

    #[test]
    fn an_unknown_key_names_file_and_line() {
        let text = MINIMAL.replace("order = \"ascending\"", "ordre = \"ascending\"");
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 11);
        assert!(errors[0].message.contains("ordre"), "{}", errors[0].message);
        assert!(errors[0].to_string().starts_with("specs/test.toml:11:"));
    }

    #[test]
    fn a_bad_expression_points_inside_it() {
        let text = MINIMAL.replace("max(result)", "max(result");
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 11);
        assert!(errors[0].message.contains("in `elapsed`"));
        let quote = errors[0].snippet.find("\"max(result").unwrap();
        assert_eq!(errors[0].column, quote + 1 + "max(result".len() + 1);
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let text = MINIMAL
            .replace("max(result)", "max(")
            .replace("0 ..= max_delay", "0 ..= ")
            + "\n[[case]]\nname = \"five\"\n";
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:#?}");
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(
            placeholders("took {elapsed} s, about {sum(result)}"),
            ["elapsed", "sum(result)"]
        );
    }
}
