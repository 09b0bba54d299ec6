//! macOS: `libproc` for threads and children, mach `thread_info` for the runtime thread's
//! run state, which also feeds the blocked-time sampler.
//!
//! `libc` has the apple bindings used here (`proc_pidinfo`, `proc_listchildpids`,
//! `thread_info`, `pthread_mach_thread_np`); rustix does not cover libproc or mach.

use std::time::Duration;

use crate::protocol::{LeftProcess, ThreadState};

use super::sampling::{Accounting, Look, Probe, Rule, Sampler};
use super::unix;

pub fn confine_call(_scratch: &std::path::Path) -> Result<(), String> {
    Ok(())
}

pub fn guard_the_process() {
    unix::ignore_file_size_signal();
}

pub fn tune_allocator() {}

/// `proc_pidinfo` of `flavor` for `pid` into a `T`; `None` when it fails.
///
/// `T` must be the plain C struct that `flavor` fills (all-zero bytes a valid value).
fn pid_info<T>(pid: i32, flavor: i32) -> Option<T> {
    let size = i32::try_from(std::mem::size_of::<T>()).ok()?;
    // SAFETY: T is one of libc's proc_* info structs: plain integers and byte arrays, for
    // which all-zero bytes are a valid value.
    let mut info: T = unsafe { std::mem::zeroed() };
    // SAFETY: proc_pidinfo writes at most `size` bytes into the buffer we own, and returns
    // how many it wrote (0 or less on failure).
    let written = unsafe { libc::proc_pidinfo(pid, flavor, 0, (&raw mut info).cast(), size) };
    (written == size).then_some(info)
}

pub fn thread_count() -> u32 {
    let pid = std::process::id() as i32;
    pid_info::<libc::proc_taskinfo>(pid, libc::PROC_PIDTASKINFO)
        .and_then(|info| u32::try_from(info.pti_threadnum).ok())
        .unwrap_or(0)
}

pub fn children_of(pid: &str) -> Vec<i32> {
    let pid = if pid == "self" {
        std::process::id() as i32
    } else {
        match pid.parse() {
            Ok(pid) => pid,
            Err(_) => return Vec::new(),
        }
    };
    // Room for many children; the call says how many bytes it filled.
    let mut pids = vec![0 as libc::pid_t; 4096];
    let Ok(size) = i32::try_from(std::mem::size_of_val(pids.as_slice())) else {
        return Vec::new();
    };
    // SAFETY: proc_listchildpids writes at most `size` bytes of pids into our buffer and
    // returns how many pids it wrote (-1 on failure).
    let count = unsafe { libc::proc_listchildpids(pid, pids.as_mut_ptr().cast(), size) };
    let Ok(count) = usize::try_from(count) else {
        return Vec::new();
    };
    pids.truncate(count.min(pids.len()));
    pids.retain(|&pid| pid > 0);
    pids
}

pub fn descendants() -> Vec<LeftProcess> {
    let own_group = unix::own_process_group();
    let mut found = Vec::new();
    let mut queue = children_of("self");
    while let Some(pid) = queue.pop() {
        if found.len() >= 10_000 {
            break;
        }
        let Some(info) = pid_info::<libc::proc_bsdinfo>(pid, libc::PROC_PIDTBSDINFO) else {
            continue;
        };
        queue.extend(children_of(&pid.to_string()));
        if info.pbi_status == libc::SZOMB {
            continue;
        }
        let name: Vec<u8> = info
            .pbi_comm
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        found.push(LeftProcess {
            pid,
            name: String::from_utf8_lossy(&name).into_owned(),
            escaped: i64::from(info.pbi_pgid) != i64::from(own_group),
        });
    }
    found.sort_by_key(|p| p.pid);
    found
}

/// A thread's mach port (a name in this task's port space, valid while the thread lives).
#[derive(Clone, Copy)]
pub struct RuntimeThread {
    port: libc::mach_port_t,
}

impl RuntimeThread {
    pub fn current() -> Option<Self> {
        // SAFETY: pthread_self names the calling thread, which is alive;
        // pthread_mach_thread_np returns its port without adding a reference to it.
        let port = unsafe { libc::pthread_mach_thread_np(libc::pthread_self()) };
        (port != 0).then_some(Self { port })
    }

    /// The mach run state (`TH_STATE_*`), or `None` when the thread is gone.
    fn run_state(&self) -> Option<i32> {
        // SAFETY: thread_basic_info is a plain C struct of integers.
        let mut info: libc::thread_basic_info = unsafe { std::mem::zeroed() };
        let mut count = libc::THREAD_BASIC_INFO_COUNT;
        // SAFETY: thread_info writes at most `count` integers into `info`, which holds
        // THREAD_BASIC_INFO_COUNT of them; a dead port gives an error, not a crash.
        let status = unsafe {
            libc::thread_info(
                self.port,
                libc::THREAD_BASIC_INFO as libc::thread_flavor_t,
                (&raw mut info).cast(),
                &mut count,
            )
        };
        (status == libc::KERN_SUCCESS).then_some(info.run_state)
    }

    pub fn state(&self) -> Option<ThreadState> {
        match self.run_state()? {
            libc::TH_STATE_RUNNING => Some(ThreadState::Running),
            libc::TH_STATE_WAITING | libc::TH_STATE_UNINTERRUPTIBLE => Some(ThreadState::Waiting),
            _ => None,
        }
    }
}

/// Looks at the runtime thread's run state for the sampler: `true` when waiting.
struct RunStateProbe(RuntimeThread);

impl Probe for RunStateProbe {
    type Tally = Accounting<WaitingRule>;
    type Seen = bool;
    const PERIOD: Duration = Duration::from_millis(1);
    fn tally(&self) -> Accounting<WaitingRule> {
        Accounting::default()
    }
    fn look(&self) -> Option<bool> {
        let state = self.0.run_state()?;
        Some(state == libc::TH_STATE_WAITING || state == libc::TH_STATE_UNINTERRUPTIBLE)
    }
}

/// Blocked = waiting at both ends of an interval. Mach's *running* covers a thread that is
/// runnable but waiting for a CPU, so time queued behind other work is never counted.
pub struct WaitingRule;

impl Rule for WaitingRule {
    type Seen = bool;
    fn stalled(before: &bool, after: &bool) -> bool {
        *before && *after
    }
    fn counts(_: &Look<bool>, _: &Look<bool>) -> bool {
        true
    }
}

/// The sampler watching the runtime thread, if it started.
pub struct BlockedTime {
    sampler: Option<Sampler<RunStateProbe>>,
}

pub struct BlockedStart;

impl BlockedTime {
    pub fn of_current_thread() -> Self {
        let sampler = RuntimeThread::current().and_then(|t| Sampler::spawn(RunStateProbe(t)));
        Self { sampler }
    }

    pub fn start(&self) -> Option<BlockedStart> {
        self.sampler.as_ref()?.begin();
        Some(BlockedStart)
    }

    pub fn stop(&self, _start: BlockedStart, _real: f64) -> Option<f64> {
        let blocked: Duration = self.sampler.as_ref()?.end();
        Some(blocked.as_secs_f64())
    }
}

pub fn unnamed_file() -> std::io::Result<std::fs::File> {
    tempfile::tempfile()
}
