//! Runs one case: builds the runtime, calls the function `repeat` times, observes each call.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, OnceLock};

use futures::StreamExt;
use serde_json::Value;

use crate::bindings::{Binding, Call};
use crate::capture::StdoutCapture;
use crate::panics;
use crate::protocol::{CaseRequest, ClockMode, Outcome, Run};
use crate::watchdog::{CLOCK, METRICS};

/// Most items collected from a stream before the runner stops asking for more.
const MAX_STREAM_ITEMS: usize = 1_000_000;

/// Seconds since `origin` on the runtime's clock (0 before the case starts).
fn since(origin: &OnceLock<tokio::time::Instant>) -> f64 {
    origin.get().map_or(0.0, |o| o.elapsed().as_secs_f64())
}

/// Runs the case and says how it ended; `capture` receives the park-time marks.
pub fn execute(
    binding: &Binding,
    request: &CaseRequest,
    capture: &'static StdoutCapture,
) -> (Outcome, f64) {
    let origin: Arc<OnceLock<tokio::time::Instant>> = Arc::default();
    let runtime = {
        let (on_park, on_unpark) = (origin.clone(), origin.clone());
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(request.clock == ClockMode::Virtual)
            .on_thread_park(move || {
                let at = since(&on_park);
                capture.mark(at);
                CLOCK.note(at, true);
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
            let mut driven = std::pin::pin!(drive(binding, request, &origin));
            // Each poll of the root future tells the watchdog the scheduler got control back.
            std::future::poll_fn(|cx| {
                CLOCK.polled(since(&origin));
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
) -> Outcome {
    let limit = crate::protocol::seconds(request.virtual_timeout);
    let mut runs = Vec::new();
    for _ in 0..request.repeat.max(1) {
        let started = tokio::time::Instant::now();
        let real_started = std::time::Instant::now();
        let scheduled_before = scheduled_time();
        let call = match binding.call(&request.args) {
            Ok(call) => call,
            Err(message) => return Outcome::BadRequest { message },
        };
        let observed = tokio::time::timeout(limit, observe(call, started, request.probe_at)).await;
        let Ok((value, arrivals, finished_unawaited)) = observed else {
            // This runs in the poll the timeout woke; before it, the call was last woken at
            // the previous poll: from there on, nothing it awaited came.
            let idle_for = (request.clock == ClockMode::Virtual)
                .then(|| since(origin) - CLOCK.previous_poll())
                .filter(|&idle| idle > 0.0);
            return Outcome::VirtualTimeout {
                limit: limit.as_secs_f64(),
                idle_for,
            };
        };
        let real = real_started.elapsed().as_secs_f64();
        let blocked = scheduled_before
            .zip(scheduled_time())
            .map(|(before, after)| (real - (after - before)).max(0.0));
        runs.push(Run {
            value,
            elapsed: started.elapsed().as_secs_f64(),
            real,
            arrivals,
            finished_unawaited,
            blocked,
        });
    }
    Outcome::Returned { runs }
}

/// Seconds this thread has spent on a CPU plus waiting for one, since it started: the first two
/// fields of `/proc/thread-self/schedstat` (nanoseconds). Whatever else of its real time passed
/// was spent blocked in the kernel. `None` where the file is missing (not Linux, or a kernel
/// without scheduler statistics).
fn scheduled_time() -> Option<f64> {
    parse_schedstat(&std::fs::read_to_string("/proc/thread-self/schedstat").ok()?)
}

/// `on_cpu + waiting` seconds from the text of a schedstat file.
fn parse_schedstat(text: &str) -> Option<f64> {
    let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
    let on_cpu = fields.next()??;
    let waiting = fields.next()??;
    Some(on_cpu.saturating_add(waiting) as f64 / 1e9)
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
                arrivals.push(started.elapsed().as_secs_f64());
            }
            (Value::Array(items), Some(arrivals), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedstat_adds_time_on_a_cpu_and_time_waiting_for_one() {
        assert_eq!(parse_schedstat("1500000000 500000000 42\n"), Some(2.0));
        assert_eq!(parse_schedstat(""), None);
        assert_eq!(parse_schedstat("12 x 3"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_thread_sleep_is_time_outside_the_scheduler_and_a_cpu_loop_is_not() {
        let Some(before) = scheduled_time() else {
            return; // a kernel without scheduler statistics
        };
        let started = std::time::Instant::now();
        std::thread::sleep(std::time::Duration::from_millis(200));
        let real = started.elapsed().as_secs_f64();
        let blocked = real - (scheduled_time().expect("still readable") - before);
        assert!(blocked > 0.15, "a 200 ms sleep counted {blocked} s blocked");

        let before = scheduled_time().expect("readable");
        let started = std::time::Instant::now();
        let mut x = 0u64;
        while started.elapsed() < std::time::Duration::from_millis(200) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let real = started.elapsed().as_secs_f64();
        let blocked = real - (scheduled_time().expect("readable") - before);
        assert!(blocked < 0.05, "a CPU loop counted {blocked} s blocked");
    }
}
