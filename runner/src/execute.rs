//! Runs one case: builds the runtime, calls the function `repeat` times, observes each call.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, OnceLock};

use futures::StreamExt;
use serde_json::Value;

use crate::bindings::{Binding, Call};
use crate::capture::StdoutCapture;
use crate::os::BlockedTime;
use crate::panics;
use crate::protocol::{CaseRequest, ClockMode, Outcome, Run};
use crate::watchdog::{CLOCK, METRICS};

/// Most items collected from a stream before the runner stops asking for more.
const MAX_STREAM_ITEMS: usize = 1_000_000;

/// Seconds since `origin` on the runtime's clock (0 before the case starts).
fn since(origin: &OnceLock<tokio::time::Instant>) -> f64 {
    origin.get().map_or(0.0, |o| o.elapsed().as_secs_f64())
}

/// Runs the case and says how it ended; `capture` receives the park-time marks;
/// `blocked_time` measures this thread (the runtime's) during each call.
pub fn execute(
    binding: &Binding,
    request: &CaseRequest,
    capture: &'static StdoutCapture,
    blocked_time: &BlockedTime,
) -> (Outcome, f64) {
    let origin: Arc<OnceLock<tokio::time::Instant>> = Arc::default();
    let runtime = {
        let (on_park, on_unpark) = (origin.clone(), origin.clone());
        let mut builder = tokio::runtime::Builder::new_current_thread();
        if let Err(message) = crate::draws::seed_case(request.seed, &mut builder) {
            return (Outcome::BadRequest { message }, 0.0);
        }
        if request.record {
            crate::timeline::install(&mut builder);
        }
        builder
            .enable_time()
            .start_paused(request.clock == ClockMode::Virtual)
            .on_thread_park(move || {
                let at = since(&on_park);
                capture.mark(at);
                CLOCK.note(at, true);
                // After the note: what the pump moves, it moves while the runtime is parked.
                crate::cpu::on_park();
            })
            .on_thread_unpark(move || CLOCK.note(since(&on_unpark), false))
            .build()
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            let message = format!("cannot start the tokio runtime: {error}");
            return (Outcome::BadRequest { message }, 0.0);
        }
    };
    let _ = METRICS.set(runtime.metrics());
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(async {
            let _ = origin.set(tokio::time::Instant::now());
            crate::timeline::start(tokio::time::Instant::now());
            crate::cpu::start(
                tokio::runtime::Handle::current(),
                tokio::time::Instant::now(),
                request.cost,
                request.clock == ClockMode::Virtual,
            );
            let mut driven = std::pin::pin!(drive(binding, request, &origin, blocked_time));
            // Each poll of the root future tells the watchdog the scheduler got control back.
            std::future::poll_fn(|cx| {
                CLOCK.polled();
                driven.as_mut().poll(cx)
            })
            .await
        })
    }));
    let end = runtime.block_on(async { since(&origin) });
    // Dropping a runtime waits for blocking tasks; the process is about to end anyway.
    std::mem::forget(runtime);
    let outcome = match (panics::first_panic(), result) {
        (Some(panic), _) => Outcome::Panicked {
            not_implemented: panics::is_not_implemented(&panic.message),
            message: panic.message,
            location: panic.location,
            at: panic.at,
        },
        (None, Ok(outcome)) => outcome,
        (None, Err(_)) => Outcome::Panicked {
            message: "a panic that left no message".into(),
            location: None,
            not_implemented: false,
            at: end,
        },
    };
    (outcome, end)
}

/// Calls the function `request.repeat` times, one call after the other.
async fn drive(
    binding: &Binding,
    request: &CaseRequest,
    origin: &OnceLock<tokio::time::Instant>,
    blocked_time: &BlockedTime,
) -> Outcome {
    let limit = crate::protocol::seconds(request.virtual_timeout);
    let mut runs = Vec::new();
    for _ in 0..request.repeat.max(1) {
        let started = tokio::time::Instant::now();
        let real_started = std::time::Instant::now();
        let blocked_start = blocked_time.start();
        let moved_before = moved_by_code(origin);
        let call = match binding.call(&request.args) {
            Ok(call) => call,
            Err(message) => {
                let _ = blocked_start.and_then(|start| blocked_time.stop(start, 0.0));
                return Outcome::BadRequest { message };
            }
        };
        crate::timeline::call_started();
        let observed = tokio::time::timeout(limit, observe(call, started, request.probe_at)).await;
        let Ok((value, arrivals, finished_unawaited)) = observed else {
            // Stop the measurement (and a sampler with it); the case ends here.
            let _ = blocked_start.and_then(|start| blocked_time.stop(start, 0.0));
            // This runs in the poll the timeout woke, after the clock jumped to the limit: the
            // runtime was still from the park that jumped (every task waited, no timer of
            // theirs was due), not only from the call's own last wake (its tasks may have run
            // on without waking it).
            let idle_for = (request.clock == ClockMode::Virtual)
                .then(|| since(origin) - CLOCK.still_since())
                .filter(|&idle| idle > 0.0);
            return Outcome::VirtualTimeout {
                limit: limit.as_secs_f64(),
                idle_for,
            };
        };
        crate::timeline::call_ended();
        let real = real_started.elapsed().as_secs_f64();
        let blocked = blocked_start.and_then(|start| blocked_time.stop(start, real));
        let moved_clock = (request.clock == ClockMode::Virtual)
            .then(|| moved_by_code(origin) - moved_before)
            .filter(|&moved| moved > 0.0);
        runs.push(Run {
            value,
            elapsed: started.elapsed().as_secs_f64(),
            real,
            arrivals,
            finished_unawaited,
            blocked,
            moved_clock,
        });
        // Let virtual time run on: a task the call left running, or a branch it did not
        // cancel, prints what it prints meanwhile. The call is over, so this is not its time.
        if request.settle > 0.0 {
            tokio::time::sleep(crate::protocol::seconds(request.settle)).await;
        }
    }
    Outcome::Returned { runs }
}

/// Seconds the paused clock moved while the runtime ran, less what the runner's slow
/// function moved it by (`crate::cpu`: the cost of a computation on the runtime's thread).
fn moved_by_code(origin: &OnceLock<tokio::time::Instant>) -> f64 {
    CLOCK.moved_while_running(since(origin)) - crate::cpu::held()
}

/// Drives a call according to its shape; returns the value, stream arrivals and task probe.
async fn observe(
    call: Call,
    started: tokio::time::Instant,
    probe_at: Option<f64>,
) -> (Value, Option<Vec<f64>>, Option<bool>) {
    match call {
        Call::Future(future) => (future.await, None, None),
        Call::Task(handle) => {
            let mut joined = handle.join();
            let Some(probe_at) = probe_at else {
                return (joined.await, None, None);
            };
            let deadline = started + crate::protocol::seconds(probe_at);
            tokio::select! {
                biased;
                value = &mut joined => (value, None, Some(true)),
                () = tokio::time::sleep_until(deadline) => (joined.await, None, Some(false)),
            }
        }
        Call::Stream(mut stream) => {
            let (mut items, mut arrivals) = (Vec::new(), Vec::new());
            while items.len() < MAX_STREAM_ITEMS {
                let Some(item) = stream.next().await else {
                    break;
                };
                items.push(item);
                crate::timeline::item();
                arrivals.push(started.elapsed().as_secs_f64());
            }
            (Value::Array(items), Some(arrivals), None)
        }
    }
}
