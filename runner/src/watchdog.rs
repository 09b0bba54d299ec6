//! The runner's own real-time watchdog, on a thread outside the runtime.
//!
//! Code that blocks the executor (std::thread::sleep, a busy loop, a `yield_now` loop) stops
//! the virtual clock while real time passes; `tokio::time::timeout` cannot interrupt it. This
//! thread can: past the budget it reports where the virtual clock stood and what the runtime's
//! thread was doing, then ends the process. The checker keeps a harder limit of its own in case
//! this thread cannot run.
//!
//! To tell the four ways of never finishing apart, it looks twice, a little before the end and
//! at the end:
//! - the clock moved in between: the code runs, slowly or forever (one wait after another);
//! - the runtime is parked: it waits for something that never comes (real clock only: on the
//!   paused clock the case's own timeout timer fires instead);
//! - the scheduler kept cycling (the root future was polled again, or the runtime submitted
//!   fresh metrics, which it does each time it yields): tasks give the thread back and take it
//!   again at once, a `yield_now` loop;
//! - none of that: one call holds the thread. The system says whether it computes (a busy
//!   loop) or sleeps in the kernel (`std::thread::sleep`, a lock, a blocking read): see
//!   `os::RuntimeThread::state`.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::os::{self, RuntimeThread};
use crate::protocol::Outcome;

/// The one clock state of this process, written by the runtime's park hooks.
pub static CLOCK: ClockState = ClockState::new();

/// The runtime's metrics, once it is built: the watchdog reads whether the scheduler cycles.
pub static METRICS: OnceLock<tokio::runtime::RuntimeMetrics> = OnceLock::new();

/// What the runtime's park hooks tell the watchdog (and the panic hook).
pub struct ClockState {
    /// Seconds on the case's clock at the last park or unpark, as f64 bits.
    clock_bits: AtomicU64,
    /// Whether the runtime is parked right now.
    parked: AtomicBool,
    /// How many times the case's root future has been polled.
    polls: AtomicU64,
    /// Seconds on the case's clock when the runtime last woke, as f64 bits.
    unparked_at_bits: AtomicU64,
    /// Seconds the case's clock moved while the runtime was running (not parked), in all, as
    /// f64 bits: see [`ClockState::moved_while_running`].
    moved_bits: AtomicU64,
    /// Seconds on the case's clock at the last park that followed a poll (of a task or of the
    /// case's root future), as f64 bits: see [`ClockState::still_since`].
    still_from_bits: AtomicU64,
    /// Polls done (tasks' and the root future's) when the runtime last woke.
    polls_at_unpark: AtomicU64,
}

/// Polls of tasks so far on the runtime's one worker, where tokio counts them.
fn task_polls() -> u64 {
    #[cfg(tokio_unstable)]
    {
        METRICS.get().map_or(0, |m| m.worker_poll_count(0))
    }
    #[cfg(not(tokio_unstable))]
    {
        0
    }
}

impl ClockState {
    /// A clock at 0 s, never parked, nothing polled.
    pub const fn new() -> Self {
        Self {
            clock_bits: AtomicU64::new(0),
            parked: AtomicBool::new(false),
            polls: AtomicU64::new(0),
            unparked_at_bits: AtomicU64::new(0),
            moved_bits: AtomicU64::new(0),
            still_from_bits: AtomicU64::new(0),
            polls_at_unpark: AtomicU64::new(0),
        }
    }

    /// Notes the time and whether the runtime is about to park (`true`) or just woke.
    pub fn note(&self, at: f64, parked: bool) {
        self.note_polls(
            at,
            parked,
            self.polls.load(Ordering::Relaxed) + task_polls(),
        );
    }

    /// [`ClockState::note`], with `polls` the polls done so far (tasks' and the root
    /// future's).
    fn note_polls(&self, at: f64, parked: bool, polls: u64) {
        let before = self.clock_bits.swap(at.to_bits(), Ordering::Relaxed);
        if !parked && self.polls_at_unpark.swap(polls, Ordering::Relaxed) != polls {
            // Something was polled between the last wake and the park that ends here: the
            // runtime ran until that park. (A park with no poll since the last wake is the
            // time driver stepping through its wheel towards a far timer: nothing ran.)
            self.still_from_bits.store(before, Ordering::Relaxed);
        }
        self.parked.store(parked, Ordering::Relaxed);
        if parked {
            let moved = self.moved_while_running(at);
            self.moved_bits.store(moved.to_bits(), Ordering::Relaxed);
        } else {
            self.unparked_at_bits.store(at.to_bits(), Ordering::Relaxed);
        }
    }

    /// Seconds the case's clock has moved while the runtime was running, up to `now` (seconds
    /// on the case's clock). On the paused clock, time moves only while the runtime is parked
    /// (tokio's time driver advances it to the next timer there, between the park hooks:
    /// `park_thread_timeout` in tokio's `runtime/time`); a yield parks for zero time. So
    /// time that moved while it ran was moved by the code itself: `tokio::time::advance`, or
    /// `resume` letting real time through. (On the real clock it is every busy moment.)
    pub fn moved_while_running(&self, now: f64) -> f64 {
        let moved = f64::from_bits(self.moved_bits.load(Ordering::Relaxed));
        let unparked_at = f64::from_bits(self.unparked_at_bits.load(Ordering::Relaxed));
        moved + (now - unparked_at).max(0.0)
    }

    /// Seconds on the case's clock when the runtime last parked after running something (on
    /// the paused clock, tokio's time driver moves the clock to the next timer while the
    /// runtime is parked). Read when the case's own limit fires, it is when any task last
    /// ran: from then on each waited, and no timer of theirs was due before the limit, so
    /// nothing could wake them. Task polls are counted where tokio counts them
    /// (`--cfg tokio_unstable`, which every build the checker makes has); elsewhere only the
    /// case's root future's polls are, and it is when the call itself was last woken.
    pub fn still_since(&self) -> f64 {
        f64::from_bits(self.still_from_bits.load(Ordering::Relaxed))
    }

    /// Seconds on the case's clock at the last park or unpark.
    pub fn clock(&self) -> f64 {
        f64::from_bits(self.clock_bits.load(Ordering::Relaxed))
    }

    /// Counts one poll of the case's root future.
    pub fn polled(&self) {
        self.polls.fetch_add(1, Ordering::Relaxed);
    }

    /// A number that changes whenever the scheduler gets control back: root polls, plus the
    /// runtime's busy time (submitted each time it parks or yields to its driver).
    fn activity(&self) -> u128 {
        let busy = METRICS
            .get()
            .map_or(0, |m| m.worker_total_busy_duration(0).as_nanos());
        u128::from(self.polls.load(Ordering::Relaxed)) + busy
    }
}

/// Starts the watchdog: after `budget` of real time, `on_timeout` gets the outcome to report.
/// Call it on the thread the runtime will run on: that is the thread it looks at.
pub fn start(budget: Duration, on_timeout: impl FnOnce(Outcome) + Send + 'static) {
    let started = Instant::now();
    let cpu_at_start = os::cpu_seconds();
    let runtime_thread = RuntimeThread::current();
    std::thread::Builder::new()
        .name("asynclings-watchdog".into())
        .spawn(move || {
            // Look a little before the end too: what changes in between tells how it hangs.
            let last_look = budget.mul_f64(0.25).min(Duration::from_secs(1));
            std::thread::sleep(budget.saturating_sub(last_look));
            let clock_before = CLOCK.clock();
            let activity_before = CLOCK.activity();
            std::thread::sleep(last_look);
            let clock_at = CLOCK.clock();
            let parked = CLOCK.parked.load(Ordering::Relaxed);
            on_timeout(Outcome::RealTimeout {
                real: started.elapsed().as_secs_f64(),
                clock_at,
                cpu: os::cpu_seconds() - cpu_at_start,
                parked,
                clock_moving: clock_at > clock_before,
                cycling: !parked && CLOCK.activity() != activity_before,
                main_thread: runtime_thread.and_then(|thread| thread.state()),
            });
        })
        .map(drop)
        // Without a watchdog thread the checker's own limit still ends the case.
        .unwrap_or(());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tasks that ran until 1 s (polled at 0, 0.5 and 1 s), then all waited on each other
    /// until the limit at 86400 s, which the time driver reached in several steps through its
    /// wheel, with nothing polled: the runtime was still from 1 s, whatever the call's own
    /// future last saw (it was polled at 0 s only).
    #[test]
    fn the_clock_is_still_from_the_last_park_after_a_poll() {
        let clock = ClockState::new();
        let mut polls = 0;
        clock.note_polls(0.0, false, polls);
        for (park, unpark) in [(0.0, 0.5), (0.5, 1.0)] {
            polls += 1;
            clock.note_polls(park, true, polls);
            clock.note_polls(unpark, false, polls);
        }
        assert_eq!(clock.still_since(), 0.5);
        polls += 1;
        for (park, unpark) in [(1.0, 65536.0), (65536.0, 81920.0), (81920.0, 86400.0)] {
            clock.note_polls(park, true, polls);
            clock.note_polls(unpark, false, polls);
        }
        assert_eq!(clock.still_since(), 1.0);
    }
}
