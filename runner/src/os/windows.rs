//! Windows: the result file named in the environment, `SetStdHandle` capture, Toolhelp32
//! snapshots for threads and processes, cycle counters for the runtime thread.
//!
//! `windows-sys` (the raw, maintained bindings from Microsoft, already in the lock file
//! through tokio and tempfile) with only the features these calls need; handles are owned by
//! std's `OwnedHandle`, which closes them.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::windows::fs::{FileExt, OpenOptionsExt};
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::sync::Arc;
use std::time::Duration;

use windows_sys::Win32::Foundation::{FILETIME, HANDLE, INVALID_HANDLE_VALUE, STILL_ACTIVE};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_SHARE_READ, GetFileInformationByHandle,
};
use windows_sys::Win32::System::Console::{STD_OUTPUT_HANDLE, SetStdHandle};
use windows_sys::Win32::System::Diagnostics::Debug::{
    SEM_FAILCRITICALERRORS, SEM_NOGPFAULTERRORBOX, SetErrorMode,
};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, PROCESSENTRY32W, Process32FirstW, Process32NextW, TH32CS_SNAPPROCESS,
    TH32CS_SNAPTHREAD, THREADENTRY32, Thread32First, Thread32Next,
};
use windows_sys::Win32::System::Threading::{
    ALL_PROCESSOR_GROUPS, GetActiveProcessorCount, GetCurrentProcess, GetCurrentThreadId,
    GetExitCodeProcess, GetProcessTimes, GetSystemTimes, GetThreadTimes, OpenProcess, OpenThread,
    PROCESS_QUERY_LIMITED_INFORMATION, THREAD_QUERY_LIMITED_INFORMATION, TerminateProcess,
};
use windows_sys::Win32::System::WindowsProgramming::QueryThreadCycleTime;

use crate::protocol::{self, LeftProcess, ThreadState};

use super::sampling::{Accounting, IdleBound, Look, Probe, Rule, Sampler};

/// The checker's result file, and its (volume serial number, file index) when opened.
pub struct ResultChannel {
    file: File,
    identity: (u32, u64),
}

impl ResultChannel {
    pub fn open() -> Result<Self, String> {
        let Some(path) = std::env::var_os(protocol::RESULT_PATH_ENV) else {
            return Err(format!(
                "no result channel: {} is not set",
                protocol::RESULT_PATH_ENV
            ));
        };
        // SAFETY: the runner is still single-threaded (no other thread reads the
        // environment); the code under test must not learn the path from it.
        unsafe { std::env::remove_var(protocol::RESULT_PATH_ENV) };
        // Shared for reading only, so that the code under test cannot open it for writing
        // while we hold it. If the checker still holds it open for writing that share mode is
        // refused: then share as std does by default.
        let file = OpenOptions::new()
            .write(true)
            .share_mode(FILE_SHARE_READ)
            .open(&path)
            .or_else(|_| OpenOptions::new().write(true).open(&path))
            .map_err(|error| format!("cannot open the result file {path:?}: {error}"))?;
        let identity = file_identity(file.as_raw_handle())
            .ok_or_else(|| format!("cannot identify the result file {path:?}"))?;
        Ok(Self { file, identity })
    }

    pub fn still_ours(&self) -> bool {
        file_identity(self.file.as_raw_handle()) == Some(self.identity)
    }

    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.file.flush()
    }
}

/// (volume serial number, file index) of the file open on `handle`, `None` if it is not a
/// file (closed, or reused for something else).
fn file_identity(handle: HANDLE) -> Option<(u32, u64)> {
    // SAFETY: a plain C struct of integers, for which all-zero bytes are a valid value.
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: the call only writes the struct we own; a closed or foreign handle value gives
    // an error (never a crash: handle values are checked by the kernel).
    if unsafe { GetFileInformationByHandle(handle, &mut info) } == 0 {
        return None;
    }
    let index = (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow);
    Some((info.dwVolumeSerialNumber, index))
}

pub fn redirect_stdout(file: &File) -> io::Result<()> {
    // SAFETY: SetStdHandle only records the handle value; the capture keeps `file` open for
    // the rest of the process's life.
    if unsafe { SetStdHandle(STD_OUTPUT_HANDLE, file.as_raw_handle()) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    file.seek_read(buf, offset)
}

pub fn hide_secret(name: &str) {
    let Some(length) = std::env::var_os(name).map(|value| value.len()) else {
        return;
    };
    // SAFETY: the runner is still single-threaded: no other thread reads the environment.
    unsafe { std::env::set_var(name, "0".repeat(length)) };
}

pub fn confine_call(_scratch: &std::path::Path) -> Result<(), String> {
    Ok(())
}

pub fn hide_in_env(name: &str, range: std::ops::Range<usize>) {
    let Some(mut value) = std::env::var(name).ok() else {
        return;
    };
    if range.start > range.end || !value.is_char_boundary(range.start) {
        return;
    }
    let Some(end) =
        (range.end <= value.len() && value.is_char_boundary(range.end)).then_some(range.end)
    else {
        return;
    };
    value.replace_range(range.start..end, &"0".repeat(end - range.start));
    // SAFETY: the runner is still single-threaded: no other thread reads the environment.
    unsafe { std::env::set_var(name, value) };
}

pub fn guard_the_process() {
    // SAFETY: SetErrorMode only changes how this process reports its own crashes.
    unsafe {
        SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    }
}

pub fn tune_allocator() {}

pub fn exit_now(code: i32) -> ! {
    // SAFETY: GetCurrentProcess is a pseudo-handle that needs no closing; terminating our own
    // process runs nothing else and does not return when it succeeds.
    unsafe {
        TerminateProcess(GetCurrentProcess(), code as u32);
    }
    // Only if Windows refused to end us: end some other way rather than return.
    std::process::abort()
}

/// A FILETIME as a count of 100 ns.
fn ticks(time: FILETIME) -> u64 {
    (u64::from(time.dwHighDateTime) << 32) | u64::from(time.dwLowDateTime)
}

/// (creation time, kernel + user time), both in 100 ns, of the process on `handle`.
fn process_times(handle: HANDLE) -> Option<(u64, u64)> {
    let zero = FILETIME {
        dwLowDateTime: 0,
        dwHighDateTime: 0,
    };
    let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
    // SAFETY: the call only writes the four structs we own.
    let ok = unsafe { GetProcessTimes(handle, &mut created, &mut exited, &mut kernel, &mut user) };
    (ok != 0).then(|| (ticks(created), ticks(kernel) + ticks(user)))
}

pub fn cpu_seconds() -> f64 {
    // SAFETY: GetCurrentProcess returns a pseudo-handle, valid and needing no closing.
    let own = unsafe { GetCurrentProcess() };
    process_times(own).map_or(0.0, |(_, cpu)| cpu as f64 / 1e7)
}

/// A Toolhelp32 snapshot of `flags`, closed when dropped.
fn snapshot(flags: u32) -> Option<OwnedHandle> {
    // SAFETY: the call takes no pointers; it returns a new handle or INVALID_HANDLE_VALUE.
    let handle = unsafe { CreateToolhelp32Snapshot(flags, 0) };
    if handle == INVALID_HANDLE_VALUE || handle.is_null() {
        return None;
    }
    // SAFETY: a new handle that nothing else owns.
    Some(unsafe { OwnedHandle::from_raw_handle(handle) })
}

pub fn thread_count() -> u32 {
    let Some(snapshot) = snapshot(TH32CS_SNAPTHREAD) else {
        return 0;
    };
    let own = std::process::id();
    // SAFETY: a plain C struct of integers; dwSize must say its size.
    let mut entry: THREADENTRY32 = unsafe { std::mem::zeroed() };
    entry.dwSize = std::mem::size_of::<THREADENTRY32>() as u32;
    let mut count = 0;
    // SAFETY: the snapshot handle is open; the calls write only the entry we own, whose
    // dwSize is set.
    let mut more = unsafe { Thread32First(snapshot.as_raw_handle(), &mut entry) } != 0;
    while more {
        if entry.th32OwnerProcessID == own {
            count += 1;
        }
        // SAFETY: as above.
        more = unsafe { Thread32Next(snapshot.as_raw_handle(), &mut entry) } != 0;
    }
    count
}

/// One process of a snapshot.
struct Process {
    pid: u32,
    parent: u32,
    name: String,
}

/// Every process of the system now.
fn processes() -> Vec<Process> {
    let Some(snapshot) = snapshot(TH32CS_SNAPPROCESS) else {
        return Vec::new();
    };
    // SAFETY: a plain C struct of integers; dwSize must say its size.
    let mut entry: PROCESSENTRY32W = unsafe { std::mem::zeroed() };
    entry.dwSize = std::mem::size_of::<PROCESSENTRY32W>() as u32;
    let mut found = Vec::new();
    // SAFETY: the snapshot handle is open; the calls write only the entry we own, whose
    // dwSize is set.
    let mut more = unsafe { Process32FirstW(snapshot.as_raw_handle(), &mut entry) } != 0;
    while more {
        let name = &entry.szExeFile;
        let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
        found.push(Process {
            pid: entry.th32ProcessID,
            parent: entry.th32ParentProcessID,
            name: String::from_utf16_lossy(&name[..end]),
        });
        // SAFETY: as above.
        more = unsafe { Process32NextW(snapshot.as_raw_handle(), &mut entry) } != 0;
    }
    found
}

/// (creation time in 100 ns, still running) of process `pid`; `None` if it cannot be opened.
fn birth_and_life(pid: u32) -> Option<(u64, bool)> {
    // SAFETY: the call takes no pointers; it returns a new handle or null.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if handle.is_null() {
        return None;
    }
    // SAFETY: a new handle that nothing else owns.
    let handle = unsafe { OwnedHandle::from_raw_handle(handle) };
    let (created, _) = process_times(handle.as_raw_handle())?;
    let mut code = 0u32;
    // SAFETY: the call only writes the integer we own.
    let ok = unsafe { GetExitCodeProcess(handle.as_raw_handle(), &mut code) } != 0;
    Some((created, ok && code == STILL_ACTIVE as u32))
}

/// Children of `parent` among `all`: those naming it as parent and born after it (Windows
/// keeps a parent's id after the parent ends, and may give that number to a new process).
fn children_in(all: &[Process], parent: u32) -> Vec<u32> {
    let parent_born = birth_and_life(parent).map(|(born, _)| born);
    all.iter()
        .filter(|p| p.parent == parent && p.pid != parent && p.pid != 0)
        .filter(|p| match (parent_born, birth_and_life(p.pid)) {
            (Some(parent_born), Some((born, _))) => born >= parent_born,
            _ => true,
        })
        .map(|p| p.pid)
        .collect()
}

pub fn children_of(pid: &str) -> Vec<i32> {
    let pid = if pid == "self" {
        std::process::id()
    } else {
        match pid.parse() {
            Ok(pid) => pid,
            Err(_) => return Vec::new(),
        }
    };
    children_in(&processes(), pid)
        .into_iter()
        .filter_map(|pid| i32::try_from(pid).ok())
        .collect()
}

pub fn descendants() -> Vec<LeftProcess> {
    let all = processes();
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    let mut queue = children_in(&all, std::process::id());
    while let Some(pid) = queue.pop() {
        if found.len() >= 10_000 || !seen.insert(pid) {
            continue;
        }
        queue.extend(children_in(&all, pid));
        if birth_and_life(pid).is_some_and(|(_, alive)| !alive) {
            continue;
        }
        let Some(process) = all.iter().find(|p| p.pid == pid) else {
            continue;
        };
        found.push(LeftProcess {
            pid: i32::try_from(pid).unwrap_or(i32::MAX),
            name: process.name.clone(),
            // The checker's Job Object holds every process the case starts: none can escape.
            escaped: false,
        });
    }
    found.sort_by_key(|p| p.pid);
    found
}

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

/// Fills `dest` with `BCryptGenRandom` from the system's preferred generator (see
/// `os::os_random`).
pub fn os_random(dest: &mut [u8]) -> io::Result<()> {
    use windows_sys::Win32::Security::Cryptography::{
        BCRYPT_USE_SYSTEM_PREFERRED_RNG, BCryptGenRandom,
    };
    // One call takes at most u32::MAX bytes.
    for chunk in dest.chunks_mut(u32::MAX as usize) {
        // SAFETY: no algorithm handle is passed (the flag selects the system's generator), and
        // the buffer is `chunk`, writable for exactly the length given.
        let status = unsafe {
            BCryptGenRandom(
                std::ptr::null_mut(),
                chunk.as_mut_ptr(),
                chunk.len() as u32,
                BCRYPT_USE_SYSTEM_PREFERRED_RNG,
            )
        };
        if status < 0 {
            return Err(io::Error::other(format!(
                "BCryptGenRandom failed (NTSTATUS {status:#x})"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use windows_sys::Win32::Foundation::CloseHandle;

    #[test]
    fn the_result_channel_is_lost_when_its_handle_leads_to_another_file() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("result");
        std::fs::write(&path, b"").expect("created");
        // SAFETY: this test alone uses this variable.
        unsafe { std::env::set_var(protocol::RESULT_PATH_ENV, &path) };
        let mut channel = ResultChannel::open().expect("opened");
        assert!(std::env::var_os(protocol::RESULT_PATH_ENV).is_none());
        assert!(channel.still_ours());
        channel.write(b"report").expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"report");

        // What hostile code would do: close the runner's handle, open a file of its own.
        let raw = channel.file.as_raw_handle();
        // SAFETY: the test closes the handle behind the File's back, then never lets the File
        // close it again (it is forgotten below).
        unsafe { CloseHandle(raw) };
        let theirs = File::create(dir.path().join("stolen")).expect("created");
        assert!(!channel.still_ours());
        drop(theirs);
        std::mem::forget(channel);
    }

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

    #[test]
    fn this_process_has_threads_and_cpu_time() {
        assert!(thread_count() >= 1);
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_millis(100) {
            std::hint::spin_loop();
        }
        assert!(cpu_seconds() > 0.0);
    }

    /// Not a test: the child process of the next one.
    #[test]
    #[ignore = "run as a child by a_running_child_is_found_and_an_ended_one_is_not"]
    fn sleep_as_a_child() {
        std::thread::sleep(Duration::from_secs(30));
    }

    #[test]
    fn a_running_child_is_found_and_an_ended_one_is_not() {
        let exe = std::env::current_exe().expect("own path");
        let mut child = std::process::Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "os::windows::tests::sleep_as_a_child",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("child starts");
        let pid = i32::try_from(child.id()).expect("a pid");
        assert!(children_of("self").contains(&pid));
        let found = descendants();
        let left = found
            .iter()
            .find(|p| p.pid == pid)
            .expect("the child is seen");
        assert!(left.name.ends_with(".exe"), "{}", left.name);
        assert!(!left.escaped);
        child.kill().expect("kill");
        child.wait().expect("wait");
        assert!(descendants().iter().all(|p| p.pid != pid));
    }
}
