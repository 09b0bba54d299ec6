//! CPU-bound work on the case's clock: the slow function of lesson 25, and what makes its
//! cost visible on tokio's paused clock.
//!
//! # Why this exists
//!
//! Lesson 25 teaches that a slow computation belongs off the runtime's thread
//! (`tokio::task::spawn_blocking`). The checker grades by virtual time, and a real computation
//! is invisible there: on the runtime's thread it costs 0 virtual time (the clock does not
//! move while a task is polled), and inside `spawn_blocking` tokio *freezes* the paused clock
//! (its blocking tasks inhibit auto-advance) for as long as the closure runs. So the slow
//! function handed to the student ([`digest`], a `fn(&str) -> String`, passed by the
//! binding as production code would pass a hashing function) *simulates* its cost, `cost`
//! seconds from the case's request, deterministically:
//!
//! - **On the runtime's thread** (the mistake): the clock jumps `cost` forward at once, while
//!   the thread is held, as if it had been busy that long. Every timer due meanwhile fires
//!   late, when the runtime gets its thread back: a client that asked for a `ping` at 0.5 s
//!   is answered at 2 s.
//! - **On any other thread** (a blocking-pool thread of `spawn_blocking`, or a thread of its
//!   own): the calling thread waits until the clock reads `start + cost`, while the runtime
//!   goes on serving. A runner-owned task sleeps until then and signals the waiting thread.
//!   Because `spawn_blocking` freezes the clock, one *pump* moves it on for every
//!   computation in flight: when the runtime's thread is about to park (every task waits),
//!   the pump advances the clock by one tick (1 ms) and wakes the runtime, whose time driver
//!   then fires what is due ([`on_park`]). It pumps only while every blocking task of the pool
//!   is inside a computation whose end has not come (tokio's own rule otherwise: code on a
//!   blocking thread holds the clock), so two computations at once share the same clock and
//!   end together, and the deadlines come out exact to the tick.
//!
//! Every call is recorded ([`CpuCall`]: the thread it ran on, its virtual start and end) and
//! sent back in the case's report. The runner's tasks and timers are spawned from this file,
//! so the timeline leaves them out as it leaves out the network's peers.
//!
//! # Limits
//!
//! A computation on a thread the code spawned itself (`std::thread::spawn`, not the blocking
//! pool) does not freeze the clock, so no pump is needed; but the clock may jump (to the next
//! timer) between the moment the thread is spawned and the moment it calls the function:
//! its start is then late by up to that jump. `spawn_blocking` has no such race (the clock is
//! frozen from the call of `spawn_blocking` on), and it is what the lesson teaches.
//!
//! On the real clock (`checker --clock real`) the function sleeps `cost` on its thread.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::ThreadId;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::runtime::Handle;
use tokio::time::Instant;

/// One tick of tokio's timer: the step of the pump.
pub const TICK: Duration = Duration::from_millis(1);

/// Where a call of the slow function ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    /// The runtime's own thread, inside a task: every other task waited.
    Runtime,
    /// A thread of tokio's blocking pool (`spawn_blocking`).
    Blocking,
    /// A thread with no runtime context (`std::thread::spawn`).
    Other,
}

impl ThreadKind {
    /// Its name in a spec (`cpu_threads`): `runtime`, `blocking` or `thread`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Runtime => "runtime",
            Self::Blocking => "blocking",
            Self::Other => "thread",
        }
    }
}

/// One call of the slow function, for the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpuCall {
    /// The thread it ran on.
    pub thread: ThreadKind,
    /// Seconds after the case started when it was called, on the case's clock.
    pub start: f64,
    /// Seconds after the case started when it returned.
    pub end: f64,
    /// For a call on the runtime's thread: where the code called it, `file:line` (the file's
    /// name only), read from a backtrace; `None` elsewhere, or when the build has no line
    /// tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}

/// What the runner set up for this case.
struct State {
    /// The runtime's handle: the runner's tasks are spawned through it.
    handle: Handle,
    /// The thread that runs the runtime (`block_on`).
    runtime_thread: ThreadId,
    /// When the case started.
    origin: Instant,
    /// What one call costs.
    cost: Duration,
    /// The clock is paused (virtual): the cost is simulated, not slept.
    paused: bool,
    /// Every call so far.
    calls: Vec<CpuCall>,
    /// Virtual time the runtime's thread was held by calls on it, in seconds: the runner
    /// moved the clock then, not the code ([`held`]).
    held: f64,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

/// Computations on the blocking pool whose end has not come yet: while there is one, the
/// pump moves the clock.
static PENDING: AtomicUsize = AtomicUsize::new(0);

fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> Option<T> {
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    state.as_mut().map(f)
}

/// Prepares the slow function for a case: `cost` seconds per call, on the runtime whose
/// handle is `handle`, run by the calling thread, the case starting now (`origin`). Must be
/// called on the runtime's thread, inside it (at the start of `block_on`).
pub fn start(handle: Handle, origin: Instant, cost: f64, paused: bool) {
    // Whole ticks, so that the pump (one tick at a time) lands on the end exactly.
    let cost = crate::protocol::seconds(cost);
    let cost = Duration::from_millis(cost.as_nanos().div_ceil(1_000_000) as u64);
    PENDING.store(0, Ordering::Relaxed);
    *STATE.lock().unwrap_or_else(|e| e.into_inner()) = Some(State {
        handle,
        runtime_thread: std::thread::current().id(),
        origin,
        cost,
        paused,
        calls: Vec::new(),
        held: 0.0,
    });
}

/// Every call recorded so far, in the order they were made.
pub fn take() -> Vec<CpuCall> {
    with_state(|state| std::mem::take(&mut state.calls)).unwrap_or_default()
}

/// Seconds of virtual time the runner moved the clock while the runtime's thread computed
/// (the cost of calls made on it): not the code's own moving of the clock.
pub fn held() -> f64 {
    with_state(|state| state.held).unwrap_or(0.0)
}

/// The slow function of lesson 25: a digest of `text` (16 hex digits, FNV-1a 64), which
/// takes the case's `cost` to compute. What the binding passes for a
/// `digest: fn(&str) -> String` parameter.
///
/// On the runtime's thread it holds the thread for `cost` of virtual time; on any other
/// thread it returns `cost` later while the runtime goes on (module doc).
pub fn digest(text: &str) -> String {
    compute();
    fnv1a(text)
}

/// FNV-1a, 64 bits, as 16 hex digits: cheap, portable, and the same on every system.
fn fnv1a(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Spends the cost of one call where it is called, and records it.
fn compute() {
    let Some((handle, runtime_thread, origin, cost, paused)) = with_state(|s| {
        (
            s.handle.clone(),
            s.runtime_thread,
            s.origin,
            s.cost,
            s.paused,
        )
    }) else {
        // No case prepared (a call outside the runner): the value alone.
        return;
    };
    let kind = if std::thread::current().id() == runtime_thread {
        ThreadKind::Runtime
    } else if Handle::try_current().is_ok() {
        ThreadKind::Blocking
    } else {
        ThreadKind::Other
    };
    // Only the mistake pays for a backtrace (a few per case at most).
    let site = (kind == ThreadKind::Runtime).then(call_site).flatten();
    let _entered = handle.enter();
    let start = Instant::now();
    if !paused {
        std::thread::sleep(cost);
    } else if kind == ThreadKind::Runtime {
        advance(cost);
        with_state(|s| s.held += cost.as_secs_f64());
    } else {
        wait_until(&handle, start + cost, kind == ThreadKind::Blocking);
    }
    let at = |instant: Instant| instant.saturating_duration_since(origin).as_secs_f64();
    let call = CpuCall {
        thread: kind,
        start: at(start),
        end: at(Instant::now()),
        site,
    };
    with_state(|s| s.calls.push(call));
}

/// Reads the program's line tables once, while the case's thread may still open the program's
/// file: the thread that runs the call is confined (`os::confine_call`) to files that do not
/// include it, and std keeps what it read for later backtraces ([`CpuCall::site`]). Costs
/// some tens of milliseconds, so only recorded runs of cases with a `cost` pay it.
pub fn read_line_tables() {
    let _ = std::backtrace::Backtrace::force_capture().to_string();
    SITES.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether this case names call sites: its line tables were read ([`read_line_tables`]).
static SITES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Where the code called the slow function: the first frame of a backtrace whose source is
/// neither the runner's, nor tokio's, std's or another dependency's, as `file:line`; `None`
/// in a case that did not read its line tables (a graded run: only a recorded one names it).
fn call_site() -> Option<String> {
    if !SITES.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    first_foreign_frame(&std::backtrace::Backtrace::force_capture().to_string())
}

/// In a backtrace as std prints it, the first frame's `file:line` (the file's name only)
/// whose source is not the runner's (`runner/src/`), std's, core's or a dependency's.
fn first_foreign_frame(trace: &str) -> Option<String> {
    trace
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("at "))
        .map(|at| at.replace('\\', "/"))
        .find(|path| {
            // A Rust source (not libc's, whose tables stay readable to a confined thread).
            path.rsplitn(3, ':')
                .nth(2)
                .is_some_and(|file| file.ends_with(".rs"))
                && ![
                    "runner/src/",
                    "/rustc/",
                    "/.cargo/",
                    "library/std/",
                    "library/core/",
                ]
                .iter()
                .any(|ours| path.contains(ours))
        })
        .and_then(|path| {
            // `./corpus/src/x.rs:21:17`: the file's name and the line.
            let mut parts = path.rsplitn(3, ':');
            let (_column, line, file) = (parts.next()?, parts.next()?, parts.next()?);
            let name = file.rsplit('/').next()?;
            Some(format!("{name}:{line}"))
        })
}

/// Moves the paused clock `by` at once, from a thread inside the runtime's context: the
/// first poll of `tokio::time::advance` moves the clock; the yield that follows is dropped.
fn advance(by: Duration) {
    let mut advancing = std::pin::pin!(tokio::time::advance(by));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let _ = advancing.as_mut().poll(&mut cx);
}

/// Blocks the calling thread (not the runtime's) until the case's clock reads `end`: a
/// runner task sleeps until then and signals it. `pumped`: the caller is a blocking-pool
/// thread, whose task freezes the clock, so the pump must move it meanwhile.
fn wait_until(handle: &Handle, end: Instant, pumped: bool) {
    let (done, wait) = std::sync::mpsc::channel();
    handle.spawn(async move {
        // Counted from the runtime's thread, in order with the pump: the clock has not
        // moved since the computation read its start (its thread held it).
        if pumped {
            PENDING.fetch_add(1, Ordering::SeqCst);
        }
        tokio::time::sleep_until(end).await;
        if pumped {
            PENDING.fetch_sub(1, Ordering::SeqCst);
        }
        let _ = done.send(());
    });
    // The runtime ended first (the case is over): nothing to wait for.
    let _ = wait.recv();
}

/// Called by the runtime's thread when it is about to park (every task waits): while a
/// computation on the blocking pool is in flight, moves the clock one tick and wakes the
/// runtime, so that its time driver fires what is due. One pump for every computation: two
/// at once take the time of one. It moves the clock only while every blocking task is
/// inside a computation that has not ended; otherwise (a blocking thread still starting, or
/// running the code's own blocking work) the clock stays, as tokio holds it, and the pump
/// looks again shortly.
pub fn on_park() {
    let pending = PENDING.load(Ordering::SeqCst);
    if pending == 0 {
        return;
    }
    let Ok(handle) = Handle::try_current() else {
        return;
    };
    if blocking_tasks(&handle) <= pending {
        advance(TICK);
    } else {
        // Real time only: the pool settles in microseconds, or runs the code's own work.
        std::thread::sleep(Duration::from_micros(50));
    }
    // A task to run: the runtime polls its time driver without parking, and comes back here.
    handle.spawn(async {});
}

/// Blocking tasks queued or running on the runtime's pool.
#[cfg(tokio_unstable)]
fn blocking_tasks(handle: &Handle) -> usize {
    let metrics = handle.metrics();
    metrics
        .num_blocking_threads()
        .saturating_sub(metrics.num_idle_blocking_threads())
        + metrics.blocking_queue_depth()
}

/// Without tokio's unstable metrics the pool cannot be seen: every blocking task is taken
/// for a computation (a blocking task that is not one lets the clock run meanwhile).
#[cfg(not(tokio_unstable))]
fn blocking_tasks(_: &Handle) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tests share the module's state: one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    /// Runs `body` on a paused current-thread runtime with the pump installed, the slow
    /// function costing `cost` seconds; returns what it returned and the calls recorded.
    fn case<T>(cost: f64, body: impl std::future::Future<Output = T>) -> (T, Vec<CpuCall>, f64) {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .on_thread_park(on_park)
            .build()
            .unwrap();
        let value = runtime.block_on(async {
            start(Handle::current(), Instant::now(), cost, true);
            body.await
        });
        let calls = take();
        let held = held();
        *STATE.lock().unwrap() = None;
        std::mem::forget(runtime);
        (value, calls, held)
    }

    fn secs(origin: Instant) -> f64 {
        origin.elapsed().as_secs_f64()
    }

    #[test]
    fn the_call_site_is_the_first_frame_outside_the_runner_and_std() {
        let trace = "   0: std::backtrace::Backtrace::force_capture
             at /rustc/abc/library/std/src/backtrace.rs:312:13
   1: asynclings_runner::cpu::digest
             at /work/course/runner/src/cpu.rs:180:5
   2: tokio::runtime::task::core::Core<T,S>::poll
             at /home/me/.cargo/registry/src/index/tokio-1.54.1/src/runtime/task/core.rs:1:1
   3: exercises::digest_server::handle::{{closure}}
             at .\\exercises\\src\\25_digest_server.rs:21:17
   4: main
             at ./checker/src/main.rs:3:1";
        assert_eq!(
            first_foreign_frame(trace).as_deref(),
            Some("25_digest_server.rs:21")
        );
        assert_eq!(first_foreign_frame("no frames"), None);
        let libc_only = "   0: start_thread\n             at ./nptl/pthread_create.c:442:8";
        assert_eq!(first_foreign_frame(libc_only), None, "not a Rust source");
    }

    #[test]
    fn the_digest_is_fnv1a_in_hex() {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(fnv1a(""), "cbf29ce484222325");
        assert_eq!(fnv1a("a"), "af63dc4c8601ec8c");
        assert_eq!(digest("a"), "af63dc4c8601ec8c", "no case: the value alone");
    }

    #[test]
    fn on_the_runtime_thread_the_clock_jumps_and_timers_fire_late() {
        // As a recorded run does: its calls name their place.
        read_line_tables();
        let ((pinged, computed), calls, held) = case(2.0, async {
            let origin = Instant::now();
            let ping = tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(500)).await;
                secs(origin)
            });
            tokio::task::yield_now().await;
            let _ = digest("text");
            (ping.await.unwrap(), secs(origin))
        });
        assert_eq!(computed, 2.0);
        assert_eq!(
            pinged, 2.0,
            "the timer due at 0.5 s fired when the thread was free"
        );
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].thread, ThreadKind::Runtime);
        assert_eq!((calls[0].start, calls[0].end), (0.0, 2.0));
        assert_eq!(held, 2.0);
        // Here the test itself is the caller: `cargo test` runs in the package's folder, so std
        // prints this file as `./src/cpu.rs`, which is not a runner path to skip.
        let site = calls[0].site.as_deref().unwrap_or("");
        assert!(site.starts_with("cpu.rs:"), "the test's own line: {site:?}");
    }

    #[test]
    fn on_the_blocking_pool_the_runtime_goes_on_and_the_end_is_exact() {
        let ((pinged, computed), calls, held) = case(2.0, async {
            let origin = Instant::now();
            let work = tokio::task::spawn_blocking(|| digest("text"));
            tokio::time::sleep(Duration::from_millis(500)).await;
            let pinged = secs(origin);
            work.await.unwrap();
            (pinged, secs(origin))
        });
        assert_eq!(pinged, 0.5, "the runtime went on serving");
        assert_eq!(
            computed, 2.0,
            "the pump brought the clock to the end, not past"
        );
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].thread, ThreadKind::Blocking);
        assert_eq!((calls[0].start, calls[0].end), (0.0, 2.0));
        assert_eq!(held, 0.0);
    }

    #[test]
    fn two_computations_at_once_share_one_pump_and_end_together() {
        let (ends, calls, _) = case(2.0, async {
            let origin = Instant::now();
            let a = tokio::task::spawn_blocking(|| digest("a"));
            let b = tokio::task::spawn_blocking(|| digest("b"));
            a.await.unwrap();
            let first = secs(origin);
            b.await.unwrap();
            (first, secs(origin))
        });
        assert_eq!(ends, (2.0, 2.0), "not 4 s: one pump, not two");
        assert_eq!(calls.len(), 2);
        assert!(
            calls.iter().all(|c| (c.start, c.end) == (0.0, 2.0)),
            "{calls:?}"
        );
    }

    #[test]
    fn a_computation_started_later_starts_when_it_was_asked() {
        let (ends, calls, _) = case(2.0, async {
            let origin = Instant::now();
            let a = tokio::task::spawn_blocking(|| digest("a"));
            tokio::time::sleep(Duration::from_millis(700)).await;
            let b = tokio::task::spawn_blocking(|| digest("b"));
            a.await.unwrap();
            let first = secs(origin);
            b.await.unwrap();
            (first, secs(origin))
        });
        assert_eq!(ends, (2.0, 2.7));
        let mut spans: Vec<(f64, f64)> = calls.iter().map(|c| (c.start, c.end)).collect();
        spans.sort_by(|x, y| x.0.total_cmp(&y.0));
        assert_eq!(spans, vec![(0.0, 2.0), (0.7, 2.7)]);
    }

    #[test]
    fn on_a_thread_of_its_own_the_clock_runs_without_the_pump() {
        let (computed, calls, _) = case(2.0, async {
            let origin = Instant::now();
            let (tx, rx) = tokio::sync::oneshot::channel();
            std::thread::spawn(move || {
                let _ = tx.send(digest("text"));
            });
            rx.await.unwrap();
            secs(origin)
        });
        // Nothing else waits on a timer, so the clock cannot jump before the thread starts.
        assert_eq!(computed, 2.0);
        assert_eq!(calls[0].thread, ThreadKind::Other);
        assert_eq!(PENDING.load(Ordering::SeqCst), 0, "never pumped");
    }

    #[test]
    fn the_same_calls_give_the_same_record_every_time() {
        let run = || {
            case(1.5, async {
                let origin = Instant::now();
                let mut work = Vec::new();
                for i in 0..3u64 {
                    tokio::time::sleep(Duration::from_millis(300 * i)).await;
                    work.push(tokio::task::spawn_blocking(move || digest(&i.to_string())));
                }
                let mut ends = Vec::new();
                for w in work {
                    w.await.unwrap();
                    ends.push(secs(origin));
                }
                ends
            })
        };
        let (first, calls_first, _) = run();
        let (second, calls_second, _) = run();
        assert_eq!(first, vec![1.5, 1.8, 2.4]);
        assert_eq!(first, second);
        let key = |calls: &[CpuCall]| {
            let mut spans: Vec<(u64, u64)> = calls
                .iter()
                .map(|c| (c.start.to_bits(), c.end.to_bits()))
                .collect();
            spans.sort_unstable();
            spans
        };
        assert_eq!(key(&calls_first), key(&calls_second));
    }
}
