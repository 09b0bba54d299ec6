//! Records what ran when on the case's clock: tasks, timers, calls, stream items.
//!
//! A call records only when its request says so (`CaseRequest::record`): then [`install`]
//! adds the hooks below to its runtime; otherwise nothing is installed and nothing recorded.
//! The hooks exist only in a runner built with `--cfg tokio_unstable` and the `timeline`
//! feature, which is how the checker builds every runner, so one build serves grading and
//! recording. There:
//!
//! - tasks come from tokio's task hooks (`on_task_spawn`, `on_task_terminate`,
//!   `on_before_task_poll`, `on_after_task_poll`), with `TaskMeta::spawned_at()`: exact, cheap
//!   (one mutex and a vector push per event);
//! - timers come from tokio's `tracing` instrumentation of `Sleep` (a `runtime.resource` span
//!   per timer, with the caller's location, and a `state_update` event with its duration),
//!   read by a tiny subscriber of our own that takes nothing else. That is what shows
//!   concurrency without tasks (`join!`, `join_all`, `FuturesUnordered`): their timers overlap.
//!
//! Above [`MAX_RECORDS`] tasks, later ones are counted, not recorded; above [`MAX_RECORDS`]
//! timers, the subscriber stops listening (tokio's timer spans then cost next to nothing), so
//! `timers_omitted` is at least 1 and later timers are not counted. A timeline of a million
//! waits keeps the first 20 000 of each.

use serde::{Deserialize, Serialize};

/// Most tasks, and most timers, recorded in full per case; later ones are only counted.
pub const MAX_RECORDS: usize = 20_000;

/// What ran when during one case, in seconds on the case's clock (0 = the runtime started).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Every call of the function: `[start, end]` (end missing if it never returned).
    #[serde(default)]
    pub calls: Vec<Span>,
    /// Spawned tasks, in spawn order.
    #[serde(default)]
    pub tasks: Vec<TaskRecord>,
    /// Timers (`sleep`, `sleep_until`, `timeout`, `interval` ticks) created by the code under
    /// test, in creation order.
    #[serde(default)]
    pub timers: Vec<TimerRecord>,
    /// Times at which stream items arrived.
    #[serde(default)]
    pub items: Vec<f64>,
    /// Synchronisation resources tokio instruments (`Semaphore`, `Mutex`, `RwLock`,
    /// `Barrier`, `oneshot` senders and receivers...) created by the code under test, in
    /// creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceRecord>,
    /// Tasks past [`MAX_RECORDS`], counted but not recorded.
    #[serde(default)]
    pub tasks_omitted: u64,
    /// Timers past [`MAX_RECORDS`]: nonzero means some were left out (the count stops at the
    /// first few, once the recording stops listening).
    #[serde(default)]
    pub timers_omitted: u64,
}

/// A call: when it started and ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds (`None`: it never ended).
    pub end: Option<f64>,
}

/// One spawned task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// tokio's task id.
    pub id: u64,
    /// Where it was spawned: `file:line:column`.
    pub at: String,
    /// Spawned at, seconds.
    pub start: f64,
    /// Finished at (`None`: still running when the case ended).
    pub end: Option<f64>,
    /// Times it was polled.
    pub polls: u32,
    /// Real seconds spent inside its polls (virtual time stands still while code runs).
    pub busy: f64,
    /// When its last poll ended, seconds (`None`: never polled): for a task still waiting at
    /// the end, since when it has waited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_poll: Option<f64>,
    /// Its panic's message, when it panicked (its first 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panic: Option<String>,
    /// How it ended (`None`: it had not ended when the recording was taken, or the recording
    /// had stopped listening: see [`MAX_RECORDS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<TaskEnd>,
    /// The resources (indices into [`Timeline::resources`]) whose operation its last poll
    /// left pending: a lock, a permit, a barrier it waits for. Empty when it waited on nothing
    /// tokio instruments (`mpsc`, `watch`, `Notify`, a `JoinHandle`) or ran to the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waits_on: Vec<usize>,
}

/// How a task ended, from tokio's task hooks and its task span: a task whose last run polled
/// its future ended by returning (or panicking, then [`TaskRecord::panic`] says with what); a
/// task whose last run dropped its future unpolled was cancelled (`JoinHandle::abort`,
/// `AbortHandle::abort`, a dropped `JoinSet`). A task alive when the case ended has none (the
/// runner never drops its runtime: the process ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskEnd {
    /// Its future returned.
    Returned,
    /// Its future panicked.
    Panicked,
    /// It was cancelled before it returned (a task that aborts itself from inside its own
    /// poll is counted as returned).
    Aborted,
}

impl TaskEnd {
    /// The word for it in specs (`task_ends`) and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskEnd::Returned => "returned",
            TaskEnd::Panicked => "panicked",
            TaskEnd::Aborted => "aborted",
        }
    }
}

/// One timer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimerRecord {
    /// Where it was created: `file:line:column`.
    pub at: String,
    /// The spawned task it was created in (`None`: in the call itself, outside any task).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<u64>,
    /// Created at, seconds.
    pub start: f64,
    /// When it is due, once first awaited (`None`: never awaited).
    pub deadline: Option<f64>,
    /// Dropped at: fired and done, or cancelled (`None`: still alive at the end).
    pub end: Option<f64>,
    /// Times its deadline was set again after the first (`Sleep::reset`, an interval's
    /// next tick).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub resets: u32,
    /// Whether it is an `Interval` (created at `at`), whose deadline is its latest tick's and
    /// whose resets are its ticks after the first.
    #[serde(default, skip_serializing_if = "is_false")]
    pub interval: bool,
    /// Times a poll found it elapsed (0 for an interval: its ticks are `resets`). More than
    /// `resets + 1`: it was polled again after it fired (a fired `&mut sleep` in a `select!`
    /// loop is ready at every turn).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ready_polls: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One synchronisation resource, from tokio's `runtime.resource` span for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceRecord {
    /// tokio's name for it: its `concrete_type` (`Semaphore`, `Mutex`, `Sender|Receiver`...).
    pub kind: String,
    /// Where it was created: `file:line:column`.
    pub at: String,
    /// The spawned task it was created in (`None`: in the call itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<u64>,
    /// Created at, seconds.
    pub start: f64,
    /// Dropped at (`None`: still alive at the end).
    pub end: Option<f64>,
}

impl Timeline {
    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty() && self.tasks.is_empty() && self.timers.is_empty()
    }
}

#[cfg(all(tokio_unstable, feature = "timeline"))]
pub use recording::{call_ended, call_started, install, item, start, take, task_panicked};

/// Without the hooks: nothing is recorded.
#[cfg(not(all(tokio_unstable, feature = "timeline")))]
mod disabled {
    use super::Timeline;
    /// Does nothing: this runner was built without the timeline hooks.
    pub fn install(_builder: &mut tokio::runtime::Builder) {}
    /// Does nothing.
    pub fn start(_origin: tokio::time::Instant) {}
    /// Does nothing.
    pub fn call_started() {}
    /// Does nothing.
    pub fn call_ended() {}
    /// Does nothing.
    pub fn item() {}
    /// Does nothing.
    pub fn task_panicked(_message: &str) {}
    /// Nothing was recorded.
    pub fn take() -> Option<Timeline> {
        None
    }
}
#[cfg(not(all(tokio_unstable, feature = "timeline")))]
pub use disabled::{call_ended, call_started, install, item, start, take, task_panicked};

#[cfg(all(tokio_unstable, feature = "timeline"))]
mod recording;
