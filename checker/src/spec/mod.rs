//! Specs: what each lesson's cases call and expect.
//!
//! [`raw`] is the file format (documented in `docs/specs.md`); the loader reads a directory
//! of spec files into [`Lesson`]s, parsing every expression up front so that every mistake is
//! reported with its location before anything runs. It never panics, whatever the input.
//!
//! - [`document`]: TOML text to [`raw::RawSpec`], every syntax, key and type problem at once;
//! - `compile`: raw spec to [`Lesson`], every expression parsed, its names and its types
//!   checked ([`names`]);
//! - [`fit`]: a spec against what an implementation can call (its runner's manifest);
//! - [`docs`]: which keys the reference documents and which a spec uses.
//! - [`says`]: a diagnosis's message, its `{placeholders}` and its `{{` `}}` braces.

mod compile;
pub mod course;
pub mod docs;
pub mod document;
mod error;
pub mod fit;
mod load;
pub mod names;
mod peers;
pub mod raw;
pub mod says;

use std::path::{Path, PathBuf};

use asynclings_runner::protocol::FunctionInfo;

use crate::expr::Expr;

pub use compile::{arg_names, toml_to_json};
pub use course::{load_specs, select, spec_dirs};
pub use error::{LoadError, Locator, SpecError, floor_boundary};
pub use load::{Checked, check_dirs, check_text, load_dirs, load_text, spec_files};
pub use says::{Placeholder, SaysPart, placeholders, says_parts};

/// Default real-time budget of a case, in seconds: a correct case takes milliseconds.
pub const DEFAULT_TIMEOUT: f64 = 5.0;
/// Default virtual-time budget of a call, in seconds (a day: waiting costs nothing).
pub const DEFAULT_VIRTUAL_TIMEOUT: f64 = 86400.0;
/// Default tolerance of times: one tick of tokio's timer.
pub const DEFAULT_TOLERANCE: f64 = 0.001;
/// Default `max_blocked`: well above what a correct call shows (microseconds: the paused
/// runtime never sleeps) and below the shortest blocking mistake worth naming.
pub const DEFAULT_MAX_BLOCKED: f64 = 0.1;
/// Default significance of the `uniform` test.
pub const DEFAULT_ALPHA: f64 = 1e-6;

/// A lesson, ready to grade.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// Position in the course, from 1, in spec file order.
    pub number: usize,
    /// The lesson's id (its module name).
    pub id: String,
    /// One-line title.
    pub title: String,
    /// The lesson's file, relative to the implementation's `src/`.
    pub file: String,
    /// The hint.
    pub hint: String,
    /// Where the spec came from.
    pub spec_path: PathBuf,
    /// The cases, in spec order: calls first, then source checks.
    pub cases: Vec<Case>,
}

/// One case of a lesson.
#[derive(Debug, Clone)]
pub struct Case {
    /// Its name.
    pub name: String,
    /// The function it concerns.
    pub function: String,
    /// Points it is worth.
    pub points: f64,
    /// Whether its details are hidden from students.
    pub hidden: bool,
    /// What it does.
    pub kind: CaseKind,
}

/// What a case checks.
#[derive(Debug, Clone)]
pub enum CaseKind {
    /// Calls the function and checks what it did.
    Call(Box<CallCase>),
    /// Reads the function's source.
    Source(SourceRule),
}

/// A case that calls a function.
#[derive(Debug, Clone)]
pub struct CallCase {
    /// Arguments by name.
    pub args: serde_json::Map<String, serde_json::Value>,
    /// Calls, one after the other.
    pub repeat: u32,
    /// Real-time budget, seconds.
    pub timeout: f64,
    /// Virtual-time budget, seconds.
    pub virtual_timeout: f64,
    /// Virtual seconds let pass after each call returns.
    pub settle: f64,
    /// Expectations.
    pub expect: Expect,
    /// Diagnoses: the case's, then the lesson's.
    pub diagnose: Vec<Diagnose>,
    /// The peers of a network case, with their scripts (empty for other cases).
    pub peers: Vec<asynclings_runner::net::PeerScript>,
    /// Seconds each call of the slow function takes (`cost`; 0 when the case has none).
    pub cost: f64,
    /// For a server told to stop: when its shutdown signal fires, seconds after the call
    /// starts (`None`: never).
    pub shutdown: Option<f64>,
}

/// The expectations of a call, compiled.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    /// Exact value.
    pub returns: Option<serde_json::Value>,
    /// The kind of error the call must return.
    pub error: Option<String>,
    /// Number the result must equal.
    pub value: Option<Expr>,
    /// Number of values.
    pub len: Option<Expr>,
    /// Range or condition for each value.
    pub each: Option<Expr>,
    /// Completion order.
    pub ascending: bool,
    /// Time the call takes.
    pub elapsed: Option<Expr>,
    /// Tolerance of times and values, seconds.
    pub tolerance: f64,
    /// Lines printed.
    pub stdout: Option<Vec<LineGroup>>,
    /// Arrival time of stream item `i`.
    pub arrivals: Option<Expr>,
    /// Time by which an unawaited task has finished.
    pub finished_by: Option<Expr>,
    /// Range of a uniform distribution.
    pub uniform: Option<Expr>,
    /// Significance of the uniformity test.
    pub alpha: f64,
    /// Most seconds the call's thread may spend blocked in the kernel, on the virtual clock.
    pub max_blocked: f64,
    /// Named conditions every call must satisfy.
    pub asserts: Vec<Assert>,
    /// Lines each peer of a network case must receive.
    pub peers: Option<Vec<PeerLines>>,
}

/// The lines one peer must receive (`expect.peers.NAME`).
#[derive(Debug, Clone)]
pub struct PeerLines {
    /// The peer's position among the case's peers (its transcript's).
    pub index: usize,
    /// Its name.
    pub name: String,
    /// The lines, as `stdout` entries.
    pub groups: Vec<LineGroup>,
}

impl Expect {
    /// The names of what is checked of each call, as a diagnosis reads them in `failed`:
    /// the keys given (`elapsed`, `len`, ...), `max_blocked` (always checked) and the names of
    /// the `assert` clauses.
    pub fn names(&self) -> Vec<String> {
        let keys = [
            ("returns", self.returns.is_some()),
            ("error", self.error.is_some()),
            ("value", self.value.is_some()),
            ("len", self.len.is_some()),
            ("each", self.each.is_some()),
            ("order", self.ascending),
            ("elapsed", self.elapsed.is_some()),
            ("stdout", self.stdout.is_some()),
            ("arrivals", self.arrivals.is_some()),
            ("finished_by", self.finished_by.is_some()),
            ("max_blocked", true),
            ("peers", self.peers.is_some()),
        ];
        keys.iter()
            .filter(|(_, given)| *given)
            .map(|(key, _)| key.to_string())
            .chain(self.asserts.iter().map(|a| a.name.clone()))
            .collect()
    }
}

/// A named condition of `expect.assert`.
#[derive(Debug, Clone)]
pub struct Assert {
    /// Its name.
    pub name: String,
    /// The condition.
    pub that: Expr,
}

/// Lines expected together: one line, or several in any order.
#[derive(Debug, Clone, PartialEq)]
pub struct LineGroup {
    /// The lines.
    pub lines: Vec<String>,
    /// Whether their order among themselves is free.
    pub any_order: bool,
    /// When they are printed.
    pub at: Option<Expr>,
}

/// A compiled diagnosis.
#[derive(Debug, Clone)]
pub struct Diagnose {
    /// The condition.
    pub when: Expr,
    /// The message, with `{expression}` placeholders.
    pub says: String,
    /// The constructs the message blames: it is shown only when the source uses all of them
    /// (`uses`), so that no diagnosis names a cause the code does not contain.
    pub cause: Vec<String>,
}

/// A compiled source check.
#[derive(Debug, Clone)]
pub struct SourceRule {
    /// Names that must not appear.
    pub forbid: Vec<String>,
    /// Names that must be called.
    pub require: Vec<String>,
    /// The message when it fails.
    pub says: Option<String>,
}

/// Fails when a spec of `lessons` names a lesson that the implementation under test (the
/// runner at `runner`, whose binding table is `manifest`) does not have: none of its
/// cases could run, and that is a problem of the specs (or of the runner chosen), not a grade.
///
/// # Errors
/// The first lesson missing, the spec that names it and the lessons the runner has.
pub fn check_lessons_exist(
    lessons: &[Lesson],
    manifest: &[FunctionInfo],
    runner: &Path,
) -> anyhow::Result<()> {
    let Some(missing) = lessons
        .iter()
        .find(|l| !manifest.iter().any(|f| f.lesson == l.id))
    else {
        return Ok(());
    };
    let mut known: Vec<&str> = manifest.iter().map(|f| f.lesson.as_str()).collect();
    known.dedup();
    anyhow::bail!(
        "{}: lesson `{}` is not in the implementation under test ({} has the lessons {}); nothing was graded",
        missing.spec_path.display(),
        missing.id,
        runner.display(),
        known.join(", ")
    )
}
