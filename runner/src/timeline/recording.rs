//! The recording itself: tokio's task hooks and a minimal `tracing` subscriber (see the
//! parent module), in a runner built with `--cfg tokio_unstable` and the `timeline` feature.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use tracing_core::span::{Attributes, Id, Record};
use tracing_core::{Event, Interest, Metadata, Subscriber, field};

use super::{MAX_RECORDS, ResourceRecord, Span, TaskEnd, TaskRecord, Timeline, TimerRecord};

/// What a live span stands for.
#[derive(Clone, Copy)]
enum Slot {
    /// `timeline.timers[i]`.
    Timer(usize),
    /// `timeline.resources[i]`.
    Resource(usize),
}

/// Everything recorded so far.
struct Recorder {
    timeline: Timeline,
    /// tokio task id -> index in `timeline.tasks`.
    task_index: HashMap<u64, usize>,
    /// Start of the poll under way (real time).
    poll_started: Option<std::time::Instant>,
    /// Live resource spans: span id -> (what it is recorded as, if it is, references).
    spans: HashMap<u64, (Option<Slot>, usize)>,
    /// An `Interval` just recorded, whose inner `Sleep` (created next, at tokio's own
    /// place) stands for its ticks.
    interval_awaiting_sleep: Option<usize>,
    /// Resources whose operation the poll under way left pending, so far.
    pending_now: Vec<usize>,
    /// Timers whose poll under way has passed tokio's budget check: their next
    /// `poll_elapsed` event is the poll's result.
    timer_budget_passed: std::collections::HashSet<usize>,
    next_span: u64,
}

static RECORDER: Mutex<Option<Recorder>> = Mutex::new(None);
/// Set once [`MAX_RECORDS`] timers are recorded: the subscriber stops listening, so that
/// tokio's timer spans become disabled (nearly free) for the rest of the case.
static TIMERS_FULL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static ORIGIN: OnceLock<tokio::time::Instant> = OnceLock::new();

thread_local! {
    /// Timer spans entered on this thread, innermost last.
    static ENTERED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    /// Whether a task's run is under way on this thread (between tokio's before- and
    /// after-poll hooks), and how many times that run entered a task span.
    static RUN: std::cell::Cell<(bool, u8)> = const { std::cell::Cell::new((false, 0)) };
}

/// The one id given to every task span (`runtime.spawn`): they are not stored, only their
/// entering is counted. tokio wraps each task's future in `tracing`'s `Instrumented`,
/// which enters the span to poll the future and again to drop it. A run that ends the
/// task by returning (or panicking) enters it twice: the poll, then the drop of the
/// finished future. A run that cancels it (an abort) only drops it: once.
const TASK_SPAN: u64 = u64::MAX - 1;

fn with<R>(f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
    let mut guard = RECORDER.lock().unwrap_or_else(|e| e.into_inner());
    guard.as_mut().map(f)
}

/// Seconds since the case started on the runtime's clock (0 outside a runtime).
fn now() -> f64 {
    let Some(origin) = ORIGIN.get() else {
        return 0.0;
    };
    if tokio::runtime::Handle::try_current().is_err() {
        return 0.0;
    }
    tokio::time::Instant::now()
        .saturating_duration_since(*origin)
        .as_secs_f64()
}

/// Whether a location is the runner's own (its timeout around the call, the simulated
/// network's peer tasks) or tokio's.
fn ours(file: &str) -> bool {
    let file = file.replace('\\', "/");
    file.contains("runner/src/") || file.contains("/tokio-1.")
}

/// Adds the task hooks to the runtime and the timer subscriber to the process.
pub fn install(builder: &mut tokio::runtime::Builder) {
    *RECORDER.lock().unwrap_or_else(|e| e.into_inner()) = Some(Recorder {
        timeline: Timeline::default(),
        task_index: HashMap::new(),
        poll_started: None,
        spans: HashMap::new(),
        next_span: 1,
        interval_awaiting_sleep: None,
        pending_now: Vec::new(),
        timer_budget_passed: Default::default(),
    });
    let _ = tracing_core::dispatcher::set_global_default(tracing_core::Dispatch::new(Timers));
    builder
        .on_task_spawn(|meta| {
            // The runner's own tasks (the simulated network's peers) are not the lesson's.
            if ours(meta.spawned_at().file()) {
                return;
            }
            let (id, at, start) = (id_of(meta.id()), meta.spawned_at().to_string(), now());
            with(|r| {
                if r.timeline.tasks.len() >= MAX_RECORDS {
                    r.timeline.tasks_omitted += 1;
                    return;
                }
                r.task_index.insert(id, r.timeline.tasks.len());
                r.timeline.tasks.push(TaskRecord {
                    id,
                    at,
                    start,
                    ..TaskRecord::default()
                });
            });
        })
        .on_task_terminate(|meta| {
            let (id, end) = (id_of(meta.id()), now());
            let (in_run, entered) = RUN.with(|run| run.get());
            // Past the timer limit the subscriber no longer sees task spans either.
            let listening = !TIMERS_FULL.load(std::sync::atomic::Ordering::Relaxed);
            with(|r| {
                if let Some(index) = r.task_index.remove(&id) {
                    let task = &mut r.timeline.tasks[index];
                    task.end = Some(end);
                    task.ended = match (in_run, entered) {
                        _ if task.panic.is_some() => Some(TaskEnd::Panicked),
                        (true, 2..) if listening => Some(TaskEnd::Returned),
                        (true, 1) if listening => Some(TaskEnd::Aborted),
                        _ => None,
                    };
                }
            });
        })
        .on_before_task_poll(|_| {
            RUN.with(|run| run.set((true, 0)));
            with(|r| {
                r.pending_now.clear();
                r.poll_started = Some(std::time::Instant::now());
            });
        })
        .on_after_task_poll(|meta| {
            RUN.with(|run| run.set((false, 0)));
            let (id, at) = (id_of(meta.id()), now());
            with(|r| {
                let busy = r.poll_started.take().map(|s| s.elapsed().as_secs_f64());
                if let Some(&index) = r.task_index.get(&id) {
                    let task = &mut r.timeline.tasks[index];
                    task.polls = task.polls.saturating_add(1);
                    task.busy += busy.unwrap_or(0.0);
                    task.last_poll = Some(at);
                    task.waits_on = std::mem::take(&mut r.pending_now);
                }
            });
        });
}

fn id_of(id: tokio::task::Id) -> u64 {
    id.to_string().parse().unwrap_or(0)
}

/// The case starts now: times are measured from `origin`.
pub fn start(origin: tokio::time::Instant) {
    let _ = ORIGIN.set(origin);
}

/// A call of the function starts.
pub fn call_started() {
    let start = now();
    with(|r| r.timeline.calls.push(Span { start, end: None }));
}

/// The call under way returned.
pub fn call_ended() {
    let end = now();
    with(|r| {
        if let Some(call) = r.timeline.calls.last_mut() {
            call.end = Some(end);
        }
    });
}

/// The task running now (if any, and recorded) panicked with `message`.
pub fn task_panicked(message: &str) {
    let Some(id) = tokio::task::try_id().map(id_of) else {
        return;
    };
    with(|r| {
        if let Some(&index) = r.task_index.get(&id) {
            let task = &mut r.timeline.tasks[index];
            if task.panic.is_none() {
                task.panic = Some(message.chars().take(200).collect());
            }
        }
    });
}

/// A stream item arrived.
pub fn item() {
    let at = now();
    with(|r| {
        if r.timeline.items.len() < MAX_RECORDS {
            r.timeline.items.push(at);
        }
    });
}

/// What was recorded (once).
pub fn take() -> Option<super::Timeline> {
    let mut guard = RECORDER.lock().unwrap_or_else(|e| e.into_inner());
    guard.take().map(|r| r.timeline)
}

/// Reads the fields of a `Sleep` resource span.
#[derive(Default)]
struct Fields {
    timer: bool,
    kind: String,
    file: String,
    line: u64,
    col: u64,
    duration_ms: Option<u64>,
    is_ready: Option<bool>,
}

impl field::Visit for Fields {
    fn record_debug(&mut self, _field: &field::Field, _value: &dyn std::fmt::Debug) {}
    fn record_str(&mut self, field: &field::Field, value: &str) {
        match field.name() {
            "concrete_type" => {
                self.timer = value == "Sleep" || value == "Interval";
                self.kind = value.to_string();
            }
            "loc.file" => self.file = value.to_string(),
            _ => {}
        }
    }
    fn record_u64(&mut self, field: &field::Field, value: u64) {
        match field.name() {
            "loc.line" => self.line = value,
            "loc.col" => self.col = value,
            "duration" => self.duration_ms = Some(value),
            _ => {}
        }
    }
    fn record_i64(&mut self, field: &field::Field, value: i64) {
        self.record_u64(field, value.max(0) as u64);
    }
    fn record_bool(&mut self, field: &field::Field, value: bool) {
        if field.name() == "is_ready" {
            self.is_ready = Some(value);
        }
    }
}

/// A subscriber interested only in tokio's timer spans and their duration events.
struct Timers;

fn wanted(metadata: &Metadata<'_>) -> bool {
    if TIMERS_FULL.load(std::sync::atomic::Ordering::Relaxed) {
        return false;
    }
    (metadata.is_span() && metadata.name() == "runtime.resource")
        || is_task_span(metadata)
        || (metadata.is_event()
            && matches!(
                metadata.target(),
                "runtime::resource::state_update" | "runtime::resource::poll_op"
            ))
}

/// A task's span (not a blocking task's): entered whenever its future is polled.
fn is_task_span(metadata: &Metadata<'_>) -> bool {
    metadata.is_span() && metadata.name() == "runtime.spawn" && metadata.target() == "tokio::task"
}

/// A poll of the operation of span `span` (a timer's `poll_elapsed`, a lock's or a
/// permit's acquire) ended, `ready` or not; `in_task`: within a task's run.
///
/// A `Sleep` reports twice per poll: tokio's budget check, then the result; the second
/// is the one that says whether it had elapsed.
fn polled(r: &mut Recorder, span: u64, ready: bool, in_task: bool) {
    match r.spans.get(&span) {
        // An interval's own polls and its inner sleep's share its record: not counted.
        Some(&(Some(Slot::Timer(index)), _)) if !r.timeline.timers[index].interval => {
            if r.timer_budget_passed.remove(&index) {
                if ready {
                    let timer = &mut r.timeline.timers[index];
                    timer.ready_polls = timer.ready_polls.saturating_add(1);
                }
            } else if ready {
                r.timer_budget_passed.insert(index);
            }
        }
        Some(&(Some(Slot::Resource(index)), _)) if in_task => {
            if ready {
                r.pending_now.retain(|&i| i != index);
            } else if !r.pending_now.contains(&index) {
                r.pending_now.push(index);
            }
        }
        _ => {}
    }
}

impl Subscriber for Timers {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if wanted(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        wanted(metadata)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        if is_task_span(span.metadata()) {
            return Id::from_u64(TASK_SPAN);
        }
        let mut fields = Fields::default();
        span.record(&mut fields);
        let start = now();
        let mut full = false;
        let id = with(|r| {
            let id = r.next_span;
            r.next_span += 1;
            let at = format!("{}:{}:{}", fields.file, fields.line, fields.col);
            let task = tokio::task::try_id().map(id_of);
            // A span without a place is tokio's own inner one (a `Semaphore`'s batch
            // semaphore): the outer span, with the caller's place, stands for the object.
            let interval_sleep = fields.kind == "Sleep"
                && fields.file.replace('\\', "/").ends_with("time/interval.rs");
            let slot = if interval_sleep {
                r.interval_awaiting_sleep.take().map(Slot::Timer)
            } else if ours(&fields.file) || fields.kind.is_empty() || fields.file.is_empty() {
                None
            } else if fields.timer {
                if r.timeline.timers.len() >= MAX_RECORDS {
                    r.timeline.timers_omitted += 1;
                    full = true;
                    None
                } else {
                    let interval = fields.kind == "Interval";
                    r.timeline.timers.push(TimerRecord {
                        at,
                        task,
                        start,
                        interval,
                        ..TimerRecord::default()
                    });
                    let index = r.timeline.timers.len() - 1;
                    if interval {
                        r.interval_awaiting_sleep = Some(index);
                    }
                    Some(Slot::Timer(index))
                }
            } else if r.timeline.resources.len() < MAX_RECORDS {
                r.timeline.resources.push(ResourceRecord {
                    kind: fields.kind.clone(),
                    at,
                    task,
                    start,
                    end: None,
                });
                Some(Slot::Resource(r.timeline.resources.len() - 1))
            } else {
                None
            };
            r.spans.insert(id, (slot, 1));
            id
        })
        .unwrap_or(u64::MAX);
        if full && !TIMERS_FULL.swap(true, std::sync::atomic::Ordering::Relaxed) {
            tracing_core::callsite::rebuild_interest_cache();
        }
        Id::from_u64(id.max(1))
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let Some(ready) = fields.is_ready {
            if let Some(span) = ENTERED.with(|e| e.borrow().last().copied()) {
                let in_task = RUN.with(|run| run.get().0);
                with(|r| polled(r, span, ready, in_task));
            }
            return;
        }
        let (Some(ms), Some(span)) = (
            fields.duration_ms,
            ENTERED.with(|e| e.borrow().last().copied()),
        ) else {
            return;
        };
        let at = now();
        with(|r| {
            if let Some(&(Some(Slot::Timer(index)), _)) = r.spans.get(&span) {
                let timer = &mut r.timeline.timers[index];
                if timer.deadline.is_some() {
                    timer.resets = timer.resets.saturating_add(1);
                }
                // tokio rounds deadlines up to the millisecond; `ms` is from now.
                timer.deadline = Some(((at * 1000.0).ceil() + ms as f64) / 1000.0);
            }
        });
    }

    fn enter(&self, span: &Id) {
        if span.into_u64() == TASK_SPAN {
            RUN.with(|run| {
                let (in_run, entered) = run.get();
                run.set((in_run, entered.saturating_add(1)));
            });
            return;
        }
        ENTERED.with(|e| e.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, span: &Id) {
        let id = span.into_u64();
        if id == TASK_SPAN {
            return;
        }
        ENTERED.with(|e| {
            let mut entered = e.borrow_mut();
            if let Some(position) = entered.iter().rposition(|&s| s == id) {
                entered.remove(position);
            }
        });
    }

    fn clone_span(&self, span: &Id) -> Id {
        let id = span.into_u64();
        with(|r| {
            if let Some(entry) = r.spans.get_mut(&id) {
                entry.1 += 1;
            }
        });
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        let id = span.into_u64();
        let end = now();
        with(|r| {
            let Some(entry) = r.spans.get_mut(&id) else {
                return false;
            };
            entry.1 = entry.1.saturating_sub(1);
            if entry.1 > 0 {
                return false;
            }
            match r.spans.remove(&id) {
                Some((Some(Slot::Timer(index)), _)) => {
                    let timer = &mut r.timeline.timers[index];
                    // An interval and its sleep both close: the first close is its end.
                    timer.end = timer.end.or(Some(end));
                }
                Some((Some(Slot::Resource(index)), _)) => {
                    r.timeline.resources[index].end = Some(end);
                }
                _ => {}
            }
            true
        })
        .unwrap_or(false)
    }
}
