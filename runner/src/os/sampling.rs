//! Blocked time by sampling, where the system keeps no counter of it (macOS, Windows).
//!
//! A sampler thread looks at the runtime thread about every millisecond while a call runs,
//! and sleeps on a condition variable between calls. The looks feed an [`Accounting`]: a pure
//! function of the looks, so that its rules are tested on any system.
//!
//! A *stretch* is a run of consecutive intervals between looks in which the thread made no
//! progress ([`Rule::stalled`]); a stretch is counted as blocked, in full, when
//! [`Rule::counts`] says so from its first and last looks. The rules:
//! - macOS ([`WaitingRule`](super::macos)): stalled = *waiting* at both ends of the interval;
//!   every stretch counts (mach reports a thread waiting for a CPU as running, never as
//!   waiting).
//! - Windows: stalled = no cycles spent in the interval; a stretch counts only if the
//!   system's CPUs were idle for at least half of it in total (a runnable thread is never
//!   left waiting while a CPU idles, so an idle CPU means the thread was blocked, not
//!   queued). The idle time is judged over the whole stretch, not per interval, because
//!   Windows updates it only at clock ticks (about 15.6 ms).
//!
//! Where the thread's cycle counter is missing (Wine has no `QueryThreadCycleTime`) only
//! coarse counters remain: the thread's CPU time and the system's idle time, both counted in
//! clock ticks. [`IdleBound`] then counts a sound lower bound instead. Over a window of
//! length `W`, while the thread was runnable but queued, every one of the `n` CPUs was busy,
//! so queued time `q <= W - idle/n`; blocked time `= W - cpu - q >= idle/n - cpu`. That
//! bound never counts time waiting for a CPU; it is taken per window of [`IdleBound::WINDOW`]
//! and over the whole call (the larger sum wins, both being lower bounds), less a slack of two
//! ticks per window for the counters' granularity.
//!
//! A span (a window, or the whole call) counts only if the thread was on a CPU for at most
//! [`IdleBound::AWAKE`] of it: asleep through it, as a blocking call leaves it. Under Wine,
//! every system call the Windows kernel would answer in place is a round trip to the
//! `wineserver` process, during which the thread is blocked; thousands of such waits spread
//! through a busy call add up to a real blocked time that the student's code did not cause
//! (a correct 1000-task case read 0.23 s). Skipping the spans where the thread also ran
//! keeps the bound sound (fewer spans, each still a lower bound) and free of that cost; a
//! blocking sleep of a window or longer is still counted.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// One look at the thread: when (since the sampler started), and what was seen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look<S> {
    pub at: Duration,
    pub seen: S,
}

/// How looks are read, for one system.
pub trait Rule {
    /// What one look sees.
    type Seen: Copy;
    /// The thread made no progress between these two consecutive looks.
    fn stalled(before: &Self::Seen, after: &Self::Seen) -> bool;
    /// A stalled stretch from `first` to `last` was time blocked (not waiting for a CPU).
    fn counts(first: &Look<Self::Seen>, last: &Look<Self::Seen>) -> bool;
}

/// Blocked time added up from consecutive looks.
pub struct Accounting<R: Rule> {
    previous: Option<Look<R::Seen>>,
    /// The first look of the stalled stretch in progress.
    stretch: Option<Look<R::Seen>>,
    counted: Duration,
}

impl<R: Rule> Default for Accounting<R> {
    fn default() -> Self {
        Self {
            previous: None,
            stretch: None,
            counted: Duration::ZERO,
        }
    }
}

impl<R: Rule> Accounting<R> {
    /// Takes the next look (looks come in time order).
    pub fn feed(&mut self, look: Look<R::Seen>) {
        if let Some(previous) = self.previous {
            if R::stalled(&previous.seen, &look.seen) {
                self.stretch.get_or_insert(previous);
            } else if let Some(first) = self.stretch.take() {
                self.counted += Self::judge(&first, &previous);
            }
        }
        self.previous = Some(look);
    }

    /// Blocked time so far, the stretch in progress included.
    pub fn total(&self) -> Duration {
        let open = match (&self.stretch, &self.previous) {
            (Some(first), Some(last)) => Self::judge(first, last),
            _ => Duration::ZERO,
        };
        self.counted + open
    }

    fn judge(first: &Look<R::Seen>, last: &Look<R::Seen>) -> Duration {
        if R::counts(first, last) {
            last.at.saturating_sub(first.at)
        } else {
            Duration::ZERO
        }
    }
}

/// Blocked time added up from looks, fed in time order.
pub trait Tally: Send + 'static {
    /// What one look sees.
    type Seen: Copy + Send + 'static;
    /// Takes the next look.
    fn feed(&mut self, look: Look<Self::Seen>);
    /// Blocked time so far.
    fn total(&self) -> Duration;
    /// Forgets every look, for the next measurement.
    fn reset(&mut self);
}

impl<R: Rule + Send + 'static> Tally for Accounting<R>
where
    R::Seen: Send + 'static,
{
    type Seen = R::Seen;
    fn feed(&mut self, look: Look<R::Seen>) {
        Accounting::feed(self, look);
    }
    fn total(&self) -> Duration {
        Accounting::total(self)
    }
    fn reset(&mut self) {
        *self = Self::default();
    }
}

#[cfg(any(test, windows))]
/// The lower bound `idle/n - cpu` (see the module's documentation), from looks of (the
/// thread's CPU time, the system's idle time summed over its CPUs), both in 100 ns units.
pub struct IdleBound {
    cpus: u64,
    first: Option<Look<(u64, u64)>>,
    window_start: Option<Look<(u64, u64)>>,
    last: Option<Look<(u64, u64)>>,
    counted: Duration,
}

#[cfg(any(test, windows))]
impl IdleBound {
    /// Length of a window.
    pub const WINDOW: Duration = Duration::from_millis(250);
    /// Taken off each window's bound: two ticks of the coarsest clock (15.6 ms on Windows),
    /// one for each counter, so that their granularity never adds time.
    pub const SLACK: Duration = Duration::from_millis(32);
    /// The most CPU time a span may show and still count: one tick of the coarsest clock
    /// (15.6 ms on Windows), which a thread asleep through the span can show when a tick
    /// lands on one of its brief wake-ups.
    pub const AWAKE: Duration = Duration::from_millis(16);

    /// A bound for a system of `cpus` CPUs (at least the number its idle time is summed
    /// over: fewer would overstate idle time per CPU).
    pub fn new(cpus: u64) -> Self {
        Self {
            cpus: cpus.max(1),
            first: None,
            window_start: None,
            last: None,
            counted: Duration::ZERO,
        }
    }

    fn bound(&self, from: &Look<(u64, u64)>, to: &Look<(u64, u64)>) -> Duration {
        let cpu = to.seen.0.saturating_sub(from.seen.0);
        if Duration::from_nanos(cpu.saturating_mul(100)) > Self::AWAKE {
            // The thread also ran in this span: see the module's documentation.
            return Duration::ZERO;
        }
        let idle_per_cpu = to.seen.1.saturating_sub(from.seen.1) / self.cpus;
        let blocked = Duration::from_nanos(idle_per_cpu.saturating_sub(cpu).saturating_mul(100));
        // Never more than the time that passed.
        blocked
            .min(to.at.saturating_sub(from.at))
            .saturating_sub(Self::SLACK)
    }
}

#[cfg(any(test, windows))]
impl Tally for IdleBound {
    type Seen = (u64, u64);
    fn feed(&mut self, look: Look<(u64, u64)>) {
        self.first.get_or_insert(look);
        let start = *self.window_start.get_or_insert(look);
        if look.at.saturating_sub(start.at) >= Self::WINDOW {
            self.counted += self.bound(&start, &look);
            self.window_start = Some(look);
        }
        self.last = Some(look);
    }
    fn total(&self) -> Duration {
        let (Some(first), Some(start), Some(last)) = (self.first, self.window_start, self.last)
        else {
            return Duration::ZERO;
        };
        let windows = self.counted + self.bound(&start, &last);
        windows.max(self.bound(&first, &last))
    }
    fn reset(&mut self) {
        *self = Self::new(self.cpus);
    }
}

/// What the sampler reads from the system, one look at a time.
pub trait Probe: Send + 'static {
    /// How its looks are added up.
    type Tally: Tally<Seen = Self::Seen>;
    /// What it sees.
    type Seen: Copy + Send + 'static;
    /// How often it looks while a call runs.
    const PERIOD: Duration;
    /// A new, empty tally.
    fn tally(&self) -> Self::Tally;
    /// Looks at the thread now; `None` when the system did not answer.
    fn look(&self) -> Option<Self::Seen>;
}

struct State<P: Probe> {
    /// A call is being measured.
    active: bool,
    /// Counts measurements, so that a look taken during one is not fed into the next.
    measurement: u64,
    accounting: P::Tally,
}

type Shared<P> = Arc<(Mutex<State<P>>, Condvar)>;

/// A sampler thread and what it has counted for the current measurement.
pub struct Sampler<P: Probe> {
    shared: Shared<P>,
}

impl<P: Probe> Sampler<P> {
    /// Starts the sampler thread, idle until [`Sampler::begin`]; `None` if it cannot start.
    pub fn spawn(probe: P) -> Option<Self> {
        let shared: Shared<P> = Arc::new((
            Mutex::new(State {
                active: false,
                measurement: 0,
                accounting: probe.tally(),
            }),
            Condvar::new(),
        ));
        let theirs = shared.clone();
        std::thread::Builder::new()
            .name("asynclings-sampler".into())
            .spawn(move || sample(&probe, &theirs))
            .ok()?;
        Some(Self { shared })
    }

    /// Starts a measurement, from zero.
    pub fn begin(&self) {
        let (state, wake) = &*self.shared;
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        state.active = true;
        state.measurement += 1;
        state.accounting.reset();
        wake.notify_one();
    }

    /// Ends the measurement; returns the blocked time it counted.
    pub fn end(&self) -> Duration {
        let (state, _) = &*self.shared;
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        state.active = false;
        state.accounting.total()
    }
}

/// The sampler thread: waits for a measurement, then looks every `P::PERIOD` until it ends.
fn sample<P: Probe>(probe: &P, shared: &Shared<P>) {
    let epoch = Instant::now();
    let (state, wake) = &**shared;
    loop {
        let measurement = {
            let mut guard = state.lock().unwrap_or_else(PoisonError::into_inner);
            while !guard.active {
                guard = wake.wait(guard).unwrap_or_else(PoisonError::into_inner);
            }
            guard.measurement
        };
        // Look without holding the lock: the runtime thread must never wait for a look.
        let seen = probe.look();
        let at = epoch.elapsed();
        if let Some(seen) = seen {
            let mut guard = state.lock().unwrap_or_else(PoisonError::into_inner);
            if guard.active && guard.measurement == measurement {
                guard.accounting.feed(Look { at, seen });
            }
        }
        std::thread::sleep(P::PERIOD);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The macOS reading: `true` is a look that saw the thread waiting.
    struct Waiting;

    impl Rule for Waiting {
        type Seen = bool;
        fn stalled(before: &bool, after: &bool) -> bool {
            *before && *after
        }
        fn counts(_: &Look<bool>, _: &Look<bool>) -> bool {
            true
        }
    }

    /// The Windows reading: (thread cycles, system idle time in ms).
    struct Cycles;

    impl Rule for Cycles {
        type Seen = (u64, u64);
        fn stalled(before: &(u64, u64), after: &(u64, u64)) -> bool {
            before.0 == after.0
        }
        fn counts(first: &Look<(u64, u64)>, last: &Look<(u64, u64)>) -> bool {
            let idle = last.seen.1.saturating_sub(first.seen.1);
            let span = last.at.saturating_sub(first.at).as_millis() as u64;
            2 * idle >= span
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn feed<R: Rule>(looks: impl IntoIterator<Item = (u64, R::Seen)>) -> Duration {
        let mut accounting = Accounting::<R>::default();
        for (at, seen) in looks {
            accounting.feed(Look { at: ms(at), seen });
        }
        accounting.total()
    }

    #[test]
    fn intervals_waiting_at_both_ends_add_up() {
        // Running, then waiting from 2 ms to 7 ms, then running again.
        let looks = [
            (0, false),
            (1, false),
            (2, true),
            (3, true),
            (5, true),
            (7, true),
            (8, false),
        ];
        assert_eq!(feed::<Waiting>(looks), ms(5));
    }

    #[test]
    fn one_waiting_look_between_running_ones_counts_nothing() {
        let looks = [(0, false), (1, true), (2, false), (3, true), (4, false)];
        assert_eq!(feed::<Waiting>(looks), Duration::ZERO);
    }

    #[test]
    fn a_stretch_still_open_at_the_end_counts() {
        let looks = [(0, false), (10, true), (20, true), (510, true)];
        assert_eq!(feed::<Waiting>(looks), ms(500));
    }

    #[test]
    fn no_looks_or_one_look_count_nothing() {
        assert_eq!(feed::<Waiting>([]), Duration::ZERO);
        assert_eq!(feed::<Waiting>([(0, true)]), Duration::ZERO);
    }

    #[test]
    fn a_stalled_thread_on_an_idle_machine_was_blocked() {
        // No cycles from 1 ms to 501 ms, while two CPUs idled most of the time (idle time
        // comes in clock ticks: judged over the stretch, not per interval).
        let mut looks = vec![(0, (100, 0)), (1, (200, 0))];
        looks.extend((2..=501).map(|t| (t, (200, (t / 16) * 31))));
        looks.push((502, (300, 500 / 16 * 31)));
        assert_eq!(feed::<Cycles>(looks), ms(500));
    }

    #[test]
    fn a_stalled_thread_on_a_saturated_machine_was_waiting_for_a_cpu() {
        // The thread got no cycles for 300 ms, but no CPU was ever idle: it was queued, not
        // blocked. Correct code on a loaded machine must read zero.
        let mut looks = vec![(0, (100, 0))];
        looks.extend((1..=300).map(|t| (t, (200, 0))));
        looks.push((301, (300, 0)));
        assert_eq!(feed::<Cycles>(looks), Duration::ZERO);
    }

    #[test]
    fn a_busy_thread_is_never_blocked_however_idle_the_machine() {
        let looks = (0..1000).map(|t| (t, (t * 1000, t * 2)));
        assert_eq!(feed::<Cycles>(looks), Duration::ZERO);
    }

    /// Looks every 5 ms at (thread CPU, system idle) counters that move in 10 ms ticks.
    fn bound_of(cpus: u64, looks: impl IntoIterator<Item = (u64, u64, u64)>) -> Duration {
        let mut tally = IdleBound::new(cpus);
        let tick = |ms: u64| ms / 10 * 10 * 10_000; // whole 10 ms ticks, in 100 ns
        for (at, cpu_ms, idle_ms) in looks {
            tally.feed(Look {
                at: ms(at),
                seen: (tick(cpu_ms), tick(idle_ms)),
            });
        }
        tally.total()
    }

    #[test]
    fn a_sleep_on_an_idle_machine_is_bounded_from_below_close_to_its_length() {
        // Two idle CPUs; the thread sleeps 500 ms: both CPUs idle throughout.
        let looks = (0..=100).map(|i| (i * 5, 0, 2 * i * 5));
        let blocked = bound_of(2, looks);
        assert!(
            blocked >= ms(400) && blocked <= ms(500),
            "a 500 ms sleep counted {blocked:?}"
        );
    }

    #[test]
    fn a_busy_thread_on_an_idle_machine_is_never_blocked() {
        // Our thread on one CPU, the other idle.
        let looks = (0..=400).map(|i| (i * 5, i * 5, i * 5));
        assert_eq!(bound_of(2, looks), Duration::ZERO);
    }

    #[test]
    fn a_queued_thread_on_a_saturated_machine_is_never_blocked() {
        // Other work keeps both CPUs busy; our thread gets a CPU a fifth of the time.
        let looks = (0..=400).map(|i| (i * 5, i, 0));
        assert_eq!(bound_of(2, looks), Duration::ZERO);
    }

    #[test]
    fn a_sleep_inside_a_long_busy_call_is_still_seen() {
        // 1 s busy (one CPU idle), 500 ms asleep (both idle), 1 s busy.
        let mut looks = Vec::new();
        let (mut cpu, mut idle) = (0, 0);
        for i in 0..=500 {
            let at = i * 5;
            looks.push((at, cpu, idle));
            if (1000..1500).contains(&at) {
                idle += 10;
            } else {
                cpu += 5;
                idle += 5;
            }
        }
        let blocked = bound_of(2, looks);
        assert!(blocked >= ms(300), "the sleep counted {blocked:?}");
    }

    #[test]
    fn short_waits_spread_through_a_busy_call_are_not_counted() {
        // Wine: the thread runs 60% of the time and waits on wineserver round trips for the
        // rest; four CPUs, the others idle. The idle bound alone would count about 0.4 s.
        let looks = (0..=400).map(|i| (i * 5, i * 3, i * 5 * 4 - i * 3 - i * 2));
        assert_eq!(bound_of(4, looks), Duration::ZERO);
    }

    #[test]
    fn a_long_sleep_between_busy_spells_is_counted_by_its_windows() {
        // 1 s busy, 1 s asleep, 1 s busy; two CPUs, the other idle. The whole call is busy
        // for 2 s, so only the windows inside the sleep count.
        let mut looks = Vec::new();
        let (mut cpu, mut idle) = (0, 0);
        for i in 0..=600 {
            let at = i * 5;
            looks.push((at, cpu, idle));
            if (1000..2000).contains(&at) {
                idle += 10;
            } else {
                cpu += 5;
                idle += 5;
            }
        }
        let blocked = bound_of(2, looks);
        assert!(
            blocked >= ms(500) && blocked <= ms(1000),
            "a 1 s sleep counted {blocked:?}"
        );
    }

    #[derive(Clone)]
    struct Script(Arc<Mutex<bool>>);

    impl Probe for Script {
        type Tally = Accounting<Waiting>;
        type Seen = bool;
        const PERIOD: Duration = Duration::from_millis(1);
        fn tally(&self) -> Accounting<Waiting> {
            Accounting::default()
        }
        fn look(&self) -> Option<bool> {
            Some(*self.0.lock().unwrap_or_else(PoisonError::into_inner))
        }
    }

    #[test]
    fn the_sampler_counts_only_between_begin_and_end() {
        let waiting = Arc::new(Mutex::new(true));
        let sampler = Sampler::spawn(Script(waiting.clone())).expect("thread starts");
        // Waiting before any measurement: not counted.
        std::thread::sleep(ms(50));
        sampler.begin();
        std::thread::sleep(ms(200));
        let blocked = sampler.end();
        assert!(
            blocked > ms(150) && blocked <= ms(210),
            "200 ms waiting counted {blocked:?}"
        );
        *waiting.lock().unwrap_or_else(PoisonError::into_inner) = false;
        sampler.begin();
        std::thread::sleep(ms(100));
        assert_eq!(sampler.end(), Duration::ZERO);
    }
}
