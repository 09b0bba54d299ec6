//! The binding table: how the runner calls an implementation's functions by name.
//!
//! Every implementation (the students' `exercises`, the reference `solutions`, the corpus of
//! wrong implementations) builds its table with [`course_bindings!`](crate::course_bindings),
//! so that one checker grades them all. A table maps `(lesson, function)` to an adapter that
//! reads the arguments from JSON, calls the function, and turns what it returns into JSON.

use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::task::JoinHandle;

use crate::protocol::{FunctionInfo, Shape};

/// Arguments of a call, by parameter name.
pub type Args = Map<String, Value>;

/// A started call, ready for the runner to drive according to its shape.
pub enum Call {
    /// An `async fn`'s future.
    Future(BoxFuture<'static, Value>),
    /// A task that is (supposedly) already running.
    Task(Box<dyn TaskHandle>),
    /// A stream of items.
    Stream(BoxStream<'static, Value>),
}

/// A `JoinHandle` with its output turned into JSON.
pub trait TaskHandle: Send {
    /// Waits for the task; a panic inside the task is resumed in the caller.
    fn join(self: Box<Self>) -> BoxFuture<'static, Value>;
}

impl<T: Report + Send + 'static> TaskHandle for JoinHandle<T> {
    fn join(self: Box<Self>) -> BoxFuture<'static, Value> {
        Box::pin(async move {
            match (*self).await {
                Ok(value) => value.report(),
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                Err(error) => panic!("the task was cancelled: {error}"),
            }
        })
    }
}

/// Turns a returned value into the JSON the checker compares.
pub trait Report {
    /// The JSON form: durations become seconds, `()` becomes `null`.
    fn report(self) -> Value;
}

impl Report for () {
    fn report(self) -> Value {
        Value::Null
    }
}

impl Report for Duration {
    fn report(self) -> Value {
        Value::from(self.as_secs_f64())
    }
}

impl<T: Report> Report for Vec<T> {
    fn report(self) -> Value {
        Value::Array(self.into_iter().map(Report::report).collect())
    }
}

/// A returned `Err` becomes `{"error": {"kind": KIND, "message": MESSAGE}}`, and an `Ok` its
/// value's own JSON form: a spec expects an error by its kind (`expect.error = "timeout"`), a
/// value as usual.
impl<T: Report, E: ReportError> Report for Result<T, E> {
    fn report(self) -> Value {
        match self {
            Ok(value) => value.report(),
            Err(error) => {
                let mut detail = Map::new();
                detail.insert("kind".into(), Value::from(error.kind()));
                detail.insert("message".into(), Value::from(error.to_string()));
                let mut object = Map::new();
                object.insert(crate::protocol::ERROR_KEY.into(), Value::Object(detail));
                Value::Object(object)
            }
        }
    }
}

/// An error a lesson's function may return, with its kind: one of
/// [`ERROR_KINDS`](crate::protocol::ERROR_KINDS).
pub trait ReportError: std::fmt::Display {
    /// Its kind, as a spec names it.
    fn kind(&self) -> &'static str;
}

impl ReportError for tokio::time::error::Elapsed {
    fn kind(&self) -> &'static str {
        "timeout"
    }
}

impl ReportError for tokio::task::JoinError {
    fn kind(&self) -> &'static str {
        if self.is_cancelled() {
            "cancelled"
        } else {
            "panicked"
        }
    }
}

impl<T> ReportError for tokio::sync::mpsc::error::SendError<T> {
    fn kind(&self) -> &'static str {
        "closed"
    }
}

impl ReportError for tokio::sync::oneshot::error::RecvError {
    fn kind(&self) -> &'static str {
        "closed"
    }
}

impl ReportError for String {
    fn kind(&self) -> &'static str {
        "other"
    }
}

impl ReportError for &'static str {
    fn kind(&self) -> &'static str {
        "other"
    }
}

macro_rules! report_via_json {
    ($($t:ty),*) => {$(
        impl Report for $t {
            fn report(self) -> Value {
                Value::from(self)
            }
        }
    )*};
}
report_via_json!(f64, f32, u8, u16, u32, u64, usize, i32, i64, String, bool);

/// Reads argument `name` as a `T`.
pub fn arg<T: DeserializeOwned>(args: &Args, name: &str) -> Result<T, String> {
    let value = args
        .get(name)
        .ok_or_else(|| format!("missing argument `{name}`"))?;
    serde_json::from_value(value.clone())
        .map_err(|error| format!("argument `{name}` = {value}: {error}"))
}

type Adapter = Box<dyn Fn(&Args) -> Result<Call, String> + Send + Sync>;

/// One callable function.
pub struct Binding {
    /// What the manifest says about it.
    pub info: FunctionInfo,
    adapter: Adapter,
}

impl Binding {
    /// Starts a call with `args`.
    pub fn call(&self, args: &Args) -> Result<Call, String> {
        (self.adapter)(args)
    }
}

/// All the functions of one implementation.
#[derive(Default)]
pub struct Bindings {
    list: Vec<Binding>,
}

impl Bindings {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a function.
    pub fn add(
        &mut self,
        lesson: &str,
        name: &str,
        shape: Shape,
        source: &str,
        params: &[&str],
        adapter: impl Fn(&Args) -> Result<Call, String> + Send + Sync + 'static,
    ) {
        self.list
            .retain(|b| !(b.info.lesson == lesson && b.info.name == name));
        self.list.push(Binding {
            info: FunctionInfo {
                lesson: lesson.to_string(),
                name: name.to_string(),
                params: params.iter().map(|p| p.to_string()).collect(),
                shape,
                source: source.to_string(),
                stoppable: false,
            },
            adapter: Box::new(adapter),
        });
    }

    /// Marks `name` of `lesson` as a server told to stop (it takes a `CancellationToken`).
    pub fn mark_stoppable(&mut self, lesson: &str, name: &str) {
        self.list
            .iter_mut()
            .filter(|b| b.info.lesson == lesson && b.info.name == name)
            .for_each(|b| b.info.stoppable = true);
    }

    /// Finds `name` in `lesson`.
    pub fn find(&self, lesson: &str, name: &str) -> Option<&Binding> {
        self.list
            .iter()
            .find(|b| b.info.lesson == lesson && b.info.name == name)
    }

    /// What the table holds, for `--manifest`.
    pub fn manifest(&self) -> Vec<FunctionInfo> {
        self.list.iter().map(|b| b.info.clone()).collect()
    }
}
