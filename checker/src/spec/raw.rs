//! The spec file format, exactly as written in `specs/*.toml`.
//!
//! Every key is documented here and in `docs/specs.md`; unknown keys are errors. Expressions
//! (bounds, times, diagnoses) are strings in the language of [`crate::expr`], kept with their
//! location so that a mistake in one points at its file, line and column.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// One lesson's spec: one file in `specs/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    /// The lesson's id: the module name of its file in `exercises/` (e.g. `wait_n`).
    pub lesson: Spanned<String>,
    /// A one-line title shown in reports.
    pub title: String,
    /// The lesson's file, relative to `exercises/src/` (e.g. `06_wait_n.rs`).
    pub file: Spanned<String>,
    /// A hint shown when the lesson fails: the idea to reach for, not the answer.
    pub hint: String,
    /// The function cases call unless a case names another.
    pub function: Option<Spanned<String>>,
    /// Points for the whole lesson, shared among its cases (default: one point per case).
    pub points: Option<Spanned<f64>>,
    /// Real-time budget of each case (default `5s`): past it, the case is stopped as blocked.
    pub timeout: Option<Spanned<String>>,
    /// Virtual-time budget of each call (default `24h`): past it, the call never finished.
    pub virtual_timeout: Option<Spanned<String>>,
    /// Diagnoses tried, in order, for every failing case of the lesson.
    #[serde(default)]
    pub diagnose: Vec<RawDiagnose>,
    /// Checks on the student's source code.
    #[serde(default)]
    pub source: Vec<RawSource>,
    /// The cases: calls with arguments and what to expect.
    #[serde(default, rename = "case")]
    pub cases: Vec<RawCase>,
}

/// One case: a call (maybe repeated) and its expectations.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCase {
    /// A short name, unique in the lesson, saying what the case shows.
    pub name: Spanned<String>,
    /// The function to call (default: the spec's `function`).
    pub function: Option<Spanned<String>>,
    /// Arguments by parameter name (`args = { n = 5, max_delay = 10 }`).
    pub args: Option<Spanned<BTreeMap<Spanned<String>, toml::Value>>>,
    /// How many calls, one after the other (default 1); expectations hold for each call,
    /// `uniform` for all the values together.
    pub repeat: Option<u32>,
    /// Points for this case (default: the lesson's points shared equally, or 1).
    pub points: Option<Spanned<f64>>,
    /// Hidden from students: the result counts, the details are not shown.
    #[serde(default)]
    pub hidden: bool,
    /// Real-time budget (default: the spec's `timeout`).
    pub timeout: Option<Spanned<String>>,
    /// Virtual time to let pass after each call returns (default `0s`): lines printed
    /// meanwhile count in `stdout`, so what the call left running shows.
    pub settle: Option<Spanned<String>>,
    /// For a function that takes the slow function (`fn(&str) -> String`): what each call of
    /// it costs (default `0s`), on the case's clock (docs/network.md, "CPU work").
    pub cost: Option<Spanned<String>>,
    /// What the call must do.
    #[serde(default)]
    pub expect: RawExpect,
    /// Diagnoses tried before the spec's, when this case fails.
    #[serde(default)]
    pub diagnose: Vec<RawDiagnose>,
    /// For a function that takes connections (`Receiver<DuplexStream>`): the peers at the other
    /// ends, written `[[case.peer]]`, each with its script. The checker plays them.
    #[serde(default, rename = "peer")]
    pub peers: Vec<Spanned<RawPeer>>,
    /// For a server told to stop (a function that takes a `CancellationToken`): when the
    /// checker cancels the token (a duration after the call starts; default: never).
    pub shutdown: Option<Spanned<String>>,
}

/// A peer of a network case: one connection's other end, and what it does on it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeer {
    /// Its name, which `expect.peers` and reports use: letters, digits and `_`.
    pub name: Spanned<String>,
    /// When it connects (a duration after the call starts; default `0s`).
    pub connect: Option<Spanned<String>>,
    /// What it writes and when: `{ at = "1s", data = "hello\n" }`, in order of time.
    #[serde(default)]
    pub send: Vec<Spanned<RawSend>>,
    /// When it half-closes its side (default: right after its last write).
    pub close: Option<Spanned<String>>,
    /// When it drops the whole connection, without reading the rest (default: never).
    #[serde(rename = "drop")]
    pub hang_up: Option<Spanned<String>>,
    /// Time each byte takes across its link, both ways (default `0s`).
    pub latency: Option<Spanned<String>>,
    /// Split each write into pieces of 1 to `chunk` bytes, drawn from the case's seed (default
    /// 0: whole).
    pub chunk: Option<Spanned<u32>>,
    /// For a client lesson: refuse this attempt to connect (default `false`).
    #[serde(default)]
    pub refuse: bool,
    /// When it starts reading (a duration after the call starts; default: at once).
    pub stall: Option<Spanned<String>>,
    /// Bytes its link holds each way before a write waits (default 65536).
    pub buffer: Option<Spanned<u32>>,
}

/// One write of a peer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSend {
    /// When (a duration after the call starts).
    pub at: Spanned<String>,
    /// What, as text (`\n` ends a line).
    pub data: String,
}

/// What a call must do. Every key is optional; each one given is checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    /// The exact value returned (a TOML value; floats compare within 1e-9).
    pub returns: Option<toml::Value>,
    /// The call must return `Err` of this kind (`"timeout"`, `"cancelled"`, `"panicked"`,
    /// `"closed"`, `"other"`). Without it, a returned `Err` fails the call.
    pub error: Option<Spanned<String>>,
    /// An expression the returned number must equal, within `tolerance`.
    pub value: Option<Spanned<String>>,
    /// An expression for the number of values returned.
    pub len: Option<Spanned<String>>,
    /// A range (`0 ..= max_delay`) or condition over `x` (each value) and `i` (its index)
    /// that every value returned must satisfy.
    pub each: Option<Spanned<String>>,
    /// `"ascending"`: values in completion order; two values may be inverted only when they fall
    /// in the same tick of tokio's timer (or within `tolerance` of each other's tick).
    pub order: Option<Spanned<String>>,
    /// An expression for the time the call takes on the case's clock, within `tolerance`.
    pub elapsed: Option<Spanned<String>>,
    /// Tolerance of `elapsed`, `value`, `arrivals` and `stdout` times (default `1ms`: one tick).
    pub tolerance: Option<Spanned<String>>,
    /// The lines printed, in order: `"text"`, `{ line = "text", at = "1s" }`, or
    /// `{ any_order = ["a", "b"], at = "0s" }` for lines that may come in any order.
    pub stdout: Option<Spanned<Vec<Spanned<RawLine>>>>,
    /// For streams: an expression over `i` (index) and `x` (item) for when item `i` arrives.
    pub arrivals: Option<Spanned<String>>,
    /// For task handles: an expression for a time by which the task must have finished
    /// although nobody awaited it yet (it was started at once).
    pub finished_by: Option<Spanned<String>>,
    /// A range the values must be spread uniformly over (all values of all calls together):
    /// not constant, not whole numbers only, reaching both ends, and passing a
    /// Kolmogorov-Smirnov test at `alpha`.
    pub uniform: Option<Spanned<String>>,
    /// Significance of the `uniform` test (default 1e-6: one false alarm in a million).
    pub alpha: Option<Spanned<f64>>,
    /// On the virtual clock, the most real time the call's thread may spend blocked in the
    /// kernel (`std::thread::sleep`, a std lock or channel, blocking I/O); default `100ms`.
    /// Raise it for a lesson that teaches `spawn_blocking`, which parks the runtime's thread.
    pub max_blocked: Option<Spanned<String>>,
    /// Named conditions over the call (`{ name = "neighbours", that = "all(...)" }`), each
    /// reported on failure by its name and the values that broke it.
    pub assert: Option<Spanned<Vec<RawAssert>>>,
    /// For a network case: the lines each peer must receive, by peer name, as `stdout`
    /// entries (`ann = ["HELLO", { line = "BYE", at = "2s" }]`), and nothing more.
    pub peers: Option<Spanned<RawPeerLines>>,
}

/// `expect.peers`: by peer name, the `stdout` entries of what it must receive.
pub type RawPeerLines = BTreeMap<Spanned<String>, Vec<Spanned<RawLine>>>;

/// One named clause of `expect.assert`: a condition every call must satisfy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssert {
    /// A name for reports and for diagnoses (`failed.NAME`): letters, digits and `_`.
    pub name: Spanned<String>,
    /// The condition, over what the call observed (`result`, `lines`, the arguments, ...).
    pub that: Spanned<String>,
}

/// An expected line of stdout, or a group of lines: `"text"`,
/// `{ line = "text", at = "1s" }` or `{ any_order = ["a", "b"], at = "0s" }`.
///
/// Any TOML value converts to a `RawLine`: one of another shape becomes [`RawLine::Invalid`],
/// which the loader reports at the entry, so that one bad entry hides no other problem.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "toml::Value")]
pub enum RawLine {
    /// Exactly this line, at any time.
    Text(String),
    /// A line, optionally at a time (an expression).
    Timed {
        /// The text of the line.
        line: String,
        /// When it must be printed, on the case's clock.
        at: Option<String>,
    },
    /// Lines in any order among themselves, optionally all at one time.
    Group {
        /// The lines.
        any_order: Vec<String>,
        /// When they must be printed, on the case's clock.
        at: Option<String>,
    },
    /// Not a stdout entry: why.
    Invalid(String),
}

impl From<toml::Value> for RawLine {
    fn from(value: toml::Value) -> Self {
        RawLine::read(value).unwrap_or_else(RawLine::Invalid)
    }
}

impl RawLine {
    fn read(value: toml::Value) -> Result<Self, String> {
        const SHAPES: &str = "a stdout entry is \"text\", { line = \"text\", at = \"1s\" } or { any_order = [\"a\", \"b\"], at = \"0s\" }";
        let text = |v: &toml::Value| v.as_str().map(str::to_string);
        match value {
            toml::Value::String(line) => Ok(RawLine::Text(line)),
            toml::Value::Table(table) => {
                let at = match table.get("at") {
                    None => None,
                    Some(at) => Some(text(at).ok_or("`at` is a time such as \"1s\"")?),
                };
                if let Some(key) = table
                    .keys()
                    .find(|k| !["line", "any_order", "at"].contains(&k.as_str()))
                {
                    return Err(format!("unknown key `{key}`: {SHAPES}"));
                }
                match (table.get("line"), table.get("any_order")) {
                    (Some(line), None) => Ok(RawLine::Timed {
                        line: text(line).ok_or("`line` is text")?,
                        at,
                    }),
                    (None, Some(toml::Value::Array(lines))) => Ok(RawLine::Group {
                        any_order: lines
                            .iter()
                            .map(|l| text(l).ok_or("`any_order` lists lines of text"))
                            .collect::<Result<_, _>>()?,
                        at,
                    }),
                    _ => Err(SHAPES.to_string()),
                }
            }
            other => Err(format!("{SHAPES}; found {}", other.type_str())),
        }
    }
}

/// A diagnosis: when a failing call matches `when`, the report says `says`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiagnose {
    /// A condition over the call's observations (`elapsed`, `result`, the arguments, ...).
    pub when: Spanned<String>,
    /// What to tell the student; `{expression}` placeholders are filled in.
    pub says: Spanned<String>,
    /// The constructs `says` blames, each a name as `uses` holds it (`unbounded_channel`,
    /// `tokio::task::yield_now`, `let _`): the diagnosis is shown only when the function's
    /// source uses every one of them.
    #[serde(default)]
    pub cause: Vec<String>,
}

/// A check on the student's source code, read with syn (comments and strings do not count).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// The function whose body is checked.
    pub function: Spanned<String>,
    /// Names that must not appear in it: calls, methods, macros, types (`sort`,
    /// `std::thread::sleep`, `BinaryHeap`).
    #[serde(default)]
    pub forbid: Vec<String>,
    /// Functions or methods it must call (`wait_random`).
    #[serde(default)]
    pub require: Vec<String>,
    /// What to tell the student when the check fails.
    pub says: Option<String>,
    /// Points for this check (default: as for a case).
    pub points: Option<Spanned<f64>>,
    /// Hidden from students: the result counts, the details are not shown.
    #[serde(default)]
    pub hidden: bool,
}
