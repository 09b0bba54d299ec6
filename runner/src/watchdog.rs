//! The runner's own real-time watchdog, on a thread outside the runtime.
//!
//! Code that blocks the executor (std::thread::sleep, a busy loop, a `yield_now` loop) stops
//! the virtual clock while real time passes; `tokio::time::timeout` cannot interrupt it. This
//! thread can: past the budget it reports where the virtual clock stood, whether the runtime
//! was parked (waiting for something that never comes) or running (blocked), and the CPU time
//! used, then ends the process. The checker keeps a harder limit of its own in case this
//! thread cannot run.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::protocol::Outcome;

/// The one clock state of this process, written by the runtime's park hooks.
pub static CLOCK: ClockState = ClockState {
    clock_bits: AtomicU64::new(0),
    parked: AtomicBool::new(false),
};

/// What the runtime's park hooks tell the watchdog (and the panic hook).
pub struct ClockState {
    /// Seconds on the case's clock at the last park or unpark, as f64 bits.
    clock_bits: AtomicU64,
    /// Whether the runtime is parked right now.
    parked: AtomicBool,
}

impl ClockState {
    /// Notes the time and whether the runtime is about to park (`true`) or just woke.
    pub fn note(&self, at: f64, parked: bool) {
        self.clock_bits.store(at.to_bits(), Ordering::Relaxed);
        self.parked.store(parked, Ordering::Relaxed);
    }

    /// Seconds on the case's clock at the last park or unpark.
    pub fn clock(&self) -> f64 {
        f64::from_bits(self.clock_bits.load(Ordering::Relaxed))
    }
}

/// CPU time (user + system) this process has used, in seconds.
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct we hand it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Starts the watchdog: after `budget` of real time, `on_timeout` gets the outcome to report.
pub fn start(budget: Duration, on_timeout: impl FnOnce(Outcome) + Send + 'static) {
    let started = Instant::now();
    let cpu_at_start = cpu_seconds();
    std::thread::Builder::new()
        .name("asynclings-watchdog".into())
        .spawn(move || {
            // Look at the clock a little before the end too: moving means slow, not stuck.
            let last_look = budget.mul_f64(0.25).min(Duration::from_secs(1));
            std::thread::sleep(budget.saturating_sub(last_look));
            let clock_before = CLOCK.clock();
            std::thread::sleep(last_look);
            let clock_at = CLOCK.clock();
            on_timeout(Outcome::RealTimeout {
                real: started.elapsed().as_secs_f64(),
                clock_at,
                cpu: cpu_seconds() - cpu_at_start,
                parked: CLOCK.parked.load(Ordering::Relaxed),
                clock_moving: clock_at > clock_before,
            });
        })
        .map(drop)
        // Without a watchdog thread the checker's own limit still ends the case.
        .unwrap_or(());
}
