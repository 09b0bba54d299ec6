//! The runtime thread's blocked time: how long it waited in the kernel rather than ran,
//! sampled by its cycle counter (or, under Wine, its CPU time) against the system's idle time.

use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::sync::Arc;
use std::time::Duration;

use windows_sys::Win32::Foundation::FILETIME;
use windows_sys::Win32::System::Threading::{
    ALL_PROCESSOR_GROUPS, GetActiveProcessorCount, GetCurrentThreadId, GetSystemTimes,
    GetThreadTimes, OpenThread, THREAD_QUERY_LIMITED_INFORMATION,
};
use windows_sys::Win32::System::WindowsProgramming::QueryThreadCycleTime;

use super::super::sampling::{Accounting, IdleBound, Look, Probe, Rule, Sampler};
use super::ticks;
use crate::protocol::ThreadState;

/// A handle to the runtime thread, with the right to read its times and cycles.
#[derive(Clone)]
pub struct RuntimeThread {
    handle: Arc<OwnedHandle>,
}

impl RuntimeThread {
    pub fn current() -> Option<Self> {
        // SAFETY: no pointers; returns a new handle or null.
        let handle =
            unsafe { OpenThread(THREAD_QUERY_LIMITED_INFORMATION, 0, GetCurrentThreadId()) };
        if handle.is_null() {
            return None;
        }
        // SAFETY: a new handle that nothing else owns.
        let handle = unsafe { OwnedHandle::from_raw_handle(handle) };
        Some(Self {
            handle: Arc::new(handle),
        })
    }

    /// CPU cycles the thread has used so far.
    fn cycles(&self) -> Option<u64> {
        let mut cycles = 0u64;
        // SAFETY: the handle is open (we own it); the call writes only our integer.
        let ok = unsafe { QueryThreadCycleTime(self.handle.as_raw_handle(), &mut cycles) };
        (ok != 0).then_some(cycles)
    }

    /// CPU time (kernel + user) the thread has used so far, in 100 ns; counted in clock
    /// ticks (10 to 16 ms), so only meaningful over much longer spans.
    fn cpu_time(&self) -> Option<u64> {
        let zero = FILETIME {
            dwLowDateTime: 0,
            dwHighDateTime: 0,
        };
        let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
        // SAFETY: the handle is open (we own it); the call writes only the four structs we own.
        let ok = unsafe {
            GetThreadTimes(
                self.handle.as_raw_handle(),
                &mut created,
                &mut exited,
                &mut kernel,
                &mut user,
            )
        };
        (ok != 0).then(|| ticks(kernel) + ticks(user))
    }

    pub fn state(&self) -> Option<ThreadState> {
        if let Some(before) = self.cycles() {
            std::thread::sleep(Duration::from_millis(50));
            let after = self.cycles()?;
            return Some(if after > before {
                ThreadState::Running
            } else {
                ThreadState::Waiting
            });
        }
        // No cycle counter (Wine): CPU time over 200 ms, in ticks. A thread on a CPU gains
        // about the whole span, a blocked one nothing; a third of it is running.
        let span = Duration::from_millis(200);
        let before = self.cpu_time()?;
        std::thread::sleep(span);
        let used = self.cpu_time()?.saturating_sub(before);
        let third = u64::try_from(span.as_nanos() / 100 / 3).unwrap_or(u64::MAX);
        Some(if used >= third {
            ThreadState::Running
        } else {
            ThreadState::Waiting
        })
    }
}

/// Idle time of all the system's CPUs together since boot, in 100 ns.
fn system_idle() -> Option<u64> {
    let mut idle = FILETIME {
        dwLowDateTime: 0,
        dwHighDateTime: 0,
    };
    // SAFETY: the call writes only the struct we own; the other two outputs are optional.
    let ok = unsafe { GetSystemTimes(&mut idle, std::ptr::null_mut(), std::ptr::null_mut()) };
    (ok != 0).then(|| ticks(idle))
}

/// Reads the runtime thread's cycle counter and the system's idle time.
struct CycleProbe(RuntimeThread);

impl Probe for CycleProbe {
    type Tally = Accounting<IdleCpuRule>;
    type Seen = (u64, u64);
    const PERIOD: Duration = Duration::from_millis(1);
    fn tally(&self) -> Accounting<IdleCpuRule> {
        Accounting::default()
    }
    fn look(&self) -> Option<(u64, u64)> {
        Some((self.0.cycles()?, system_idle()?))
    }
}

/// Reads the runtime thread's CPU time and the system's idle time, where there is no cycle
/// counter (Wine): both move in clock ticks, so the sound lower bound [`IdleBound`] is used.
struct CpuTimeProbe {
    thread: RuntimeThread,
    cpus: u64,
}

impl Probe for CpuTimeProbe {
    type Tally = IdleBound;
    type Seen = (u64, u64);
    const PERIOD: Duration = Duration::from_millis(5);
    fn tally(&self) -> IdleBound {
        IdleBound::new(self.cpus)
    }
    fn look(&self) -> Option<(u64, u64)> {
        Some((self.thread.cpu_time()?, system_idle()?))
    }
}

/// Every CPU of the system, in all processor groups: those `GetSystemTimes` sums over.
fn cpu_count() -> u64 {
    // SAFETY: no pointers; returns 0 on failure.
    let count = unsafe { GetActiveProcessorCount(ALL_PROCESSOR_GROUPS) };
    u64::from(count.max(1))
}

/// Stalled: no cycles spent. A stalled stretch counts when the CPUs idled, in total, for at
/// least half of it: a runnable thread is never left waiting while a CPU idles, so the
/// thread was blocked. Under full load the idle time does not move, and nothing counts.
pub struct IdleCpuRule;

impl Rule for IdleCpuRule {
    type Seen = (u64, u64);
    fn stalled(before: &(u64, u64), after: &(u64, u64)) -> bool {
        after.0 == before.0
    }
    fn counts(first: &Look<(u64, u64)>, last: &Look<(u64, u64)>) -> bool {
        let idle = last.seen.1.saturating_sub(first.seen.1);
        let span = last.at.saturating_sub(first.at).as_nanos() / 100;
        2 * u128::from(idle) >= span
    }
}

/// The sampler watching the runtime thread, if it started: by cycles where Windows counts
/// them, by CPU time otherwise.
pub struct BlockedTime(Samplers);

enum Samplers {
    Cycles(Sampler<CycleProbe>),
    CpuTime(Sampler<CpuTimeProbe>),
    Unknown,
}

pub struct BlockedStart;

impl BlockedTime {
    pub fn of_current_thread() -> Self {
        let Some(thread) = RuntimeThread::current() else {
            return Self(Samplers::Unknown);
        };
        let sampler = if thread.cycles().is_some() {
            Sampler::spawn(CycleProbe(thread)).map(Samplers::Cycles)
        } else {
            let cpus = cpu_count();
            Sampler::spawn(CpuTimeProbe { thread, cpus }).map(Samplers::CpuTime)
        };
        Self(sampler.unwrap_or(Samplers::Unknown))
    }

    pub fn start(&self) -> Option<BlockedStart> {
        match &self.0 {
            Samplers::Cycles(sampler) => sampler.begin(),
            Samplers::CpuTime(sampler) => sampler.begin(),
            Samplers::Unknown => return None,
        }
        Some(BlockedStart)
    }

    pub fn stop(&self, _start: BlockedStart, _real: f64) -> Option<f64> {
        let blocked = match &self.0 {
            Samplers::Cycles(sampler) => sampler.end(),
            Samplers::CpuTime(sampler) => sampler.end(),
            Samplers::Unknown => return None,
        };
        Some(blocked.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sleeping_thread_is_blocked_and_a_spinning_one_running() {
        let (tx, rx) = std::sync::mpsc::channel();
        let sleeper = std::thread::spawn(move || {
            let _ = tx.send(RuntimeThread::current());
            std::thread::sleep(Duration::from_millis(600));
        });
        let thread = rx.recv().expect("sent").expect("opened");
        assert_eq!(thread.state(), Some(ThreadState::Waiting));
        sleeper.join().expect("joined");

        let (tx, rx) = std::sync::mpsc::channel();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let spinner = std::thread::spawn(move || {
            let _ = tx.send(RuntimeThread::current());
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        });
        let thread = rx.recv().expect("sent").expect("opened");
        assert_eq!(thread.state(), Some(ThreadState::Running));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        spinner.join().expect("joined");
    }
}
