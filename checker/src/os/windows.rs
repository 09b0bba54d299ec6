//! The OS layer on Windows: Job Objects, a result file by path, Ctrl-C through `ctrlc`.
//!
//! A case starts suspended, joins a Job Object of its own, and only then runs: everything it
//! starts belongs to the job (no breakaway is allowed), the job's limits hold for all of it,
//! and closing or terminating the job ends all of it. It gets no console at all
//! (`DETACHED_PROCESS`: its standard streams are files), so it cannot send Ctrl-C to the
//! checker, and no console host process (`conhost.exe`) is started for it.

use std::ffi::c_void;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::os::windows::process::CommandExt;
use std::process::{Command, ExitStatus};
use std::sync::Arc;

use windows_sys::Win32::Foundation::{FALSE, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, TH32CS_SNAPTHREAD, THREADENTRY32, Thread32First, Thread32Next,
};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
    JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION, JOB_OBJECT_LIMIT_JOB_MEMORY,
    JOB_OBJECT_LIMIT_JOB_TIME, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JobObjectExtendedLimitInformation,
    SetInformationJobObject, TerminateJobObject,
};
use windows_sys::Win32::System::Threading::{
    CREATE_SUSPENDED, DETACHED_PROCESS, OpenProcess, OpenThread, PROCESS_QUERY_LIMITED_INFORMATION,
    ResumeThread, THREAD_SUSPEND_RESUME, WaitForSingleObject,
};

use super::{Ending, Limits, RESULT_PATH_ENV};

/// The only environment variables a case inherits from the checker: what a Windows program
/// needs to start and find its temporary folder, nothing of the grader's.
pub const KEPT_ENV: &[&str] = &[
    "PATH",
    "PATHEXT",
    "SystemRoot",
    "SystemDrive",
    "windir",
    "TEMP",
    "TMP",
    "USERPROFILE",
    "LANG",
    "TZ",
];

/// How an abort reads as an exit status.
pub const ABORT_STATUS: &str = "exception 0xC0000409 (fail-fast)";
/// What an abort is called.
pub const ABORT_NAME: &str = "the fail-fast exception 0xC0000409";

/// The exit code the checker gives the processes of a job it ends.
const KILLED_BY_CHECKER: u32 = 0xC000_0001;

/// The checker's side of a case's result channel: a temporary file, which the child opens by
/// the path it finds in [`RESULT_PATH_ENV`] (and then forgets). The file is deleted with it.
#[derive(Debug)]
pub struct ResultChannel {
    file: tempfile::NamedTempFile,
}

impl ResultChannel {
    /// A new, empty channel.
    ///
    /// # Errors
    /// No temporary file can be made.
    pub fn new() -> io::Result<Self> {
        Ok(Self {
            file: tempfile::NamedTempFile::new()?,
        })
    }

    /// The file itself (to measure what it holds).
    pub fn file(&self) -> &std::fs::File {
        self.file.as_file()
    }

    /// Everything the child wrote on it.
    ///
    /// # Errors
    /// It cannot be read.
    pub fn read_all(&mut self) -> io::Result<Vec<u8>> {
        let file: &mut File = self.file.as_file_mut();
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0))?;
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

/// A case's process tree: its Job Object (killed on close: when the last handle goes, so does
/// every process in it).
#[derive(Debug, Clone)]
pub struct Tree(Arc<OwnedHandle>);

impl Tree {
    /// Ends every process of the job at once.
    pub fn kill(&self) {
        // SAFETY: the handle is a job object of ours, open as long as `self`.
        unsafe { TerminateJobObject(self.0.as_raw_handle() as HANDLE, KILLED_BY_CHECKER) };
    }

    /// Windows has no request to end: the job is ended as by [`Tree::kill`].
    pub fn terminate(&self) {
        self.kill();
    }

    /// Not read on Windows: the job's own limits (CPU time, process count) bound the tree.
    pub fn usage(
        &self,
        _seen: &mut std::collections::HashSet<(u64, u64)>,
    ) -> Option<super::TreeUsage> {
        None
    }

    /// Windows processes cannot stop themselves the way SIGSTOP does.
    pub fn is_stopped(&self) -> bool {
        false
    }
}

/// The confinement is always none here (no sandbox on Windows: `sandbox.rs`).
///
/// The child is created suspended, put in a new Job Object (the case's limits), then resumed:
/// no code of it runs outside the job. A step that fails is tried again, the whole sequence,
/// up to [`SPAWN_ATTEMPTS`] times: the failed child never ran (it was still suspended, and
/// is killed), so a second try cannot run the case twice. Process creation fails now and then
/// for reasons that pass: an antivirus holding a freshly built runner, or Wine, which under
/// load fails one creation in a thousand with "Internal error" (os error 1359).
pub fn spawn(
    mut command: Command,
    _confinement: super::sandbox::Confinement,
    result: &ResultChannel,
    limits: Limits,
) -> io::Result<(std::process::Child, Tree)> {
    command
        .env(RESULT_PATH_ENV, result.file.path())
        .creation_flags(CREATE_SUSPENDED | DETACHED_PROCESS);
    let mut attempt = 1;
    loop {
        match spawn_in_job(&mut command, limits) {
            Ok(started) => return Ok(started),
            Err(error) if attempt >= SPAWN_ATTEMPTS => return Err(error),
            Err(_) => {
                std::thread::sleep(SPAWN_RETRY_PAUSE * attempt);
                attempt += 1;
            }
        }
    }
}

/// How many times a case's process creation is tried before the case is an error.
const SPAWN_ATTEMPTS: u32 = 3;

/// The pause before the second try; the third waits twice as long.
const SPAWN_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// One try of [`spawn`]: the job, the suspended child, its assignment, its resumption. An
/// error says which step failed.
fn spawn_in_job(command: &mut Command, limits: Limits) -> io::Result<(std::process::Child, Tree)> {
    let step = |what: &str| {
        let what = what.to_string();
        move |error: io::Error| io::Error::new(error.kind(), format!("{what}: {error}"))
    };
    let job = new_job(limits).map_err(step("creating its Job Object"))?;
    let mut child = command.spawn()?;
    // SAFETY: both handles are open: the job is ours, the process handle is the child's.
    let assigned = unsafe {
        AssignProcessToJobObject(
            job.as_raw_handle() as HANDLE,
            child.as_raw_handle() as HANDLE,
        )
    };
    let set_up = if assigned == FALSE {
        Err(io::Error::last_os_error()).map_err(step("putting it in its Job Object"))
    } else {
        resume(child.id()).map_err(step("resuming it"))
    };
    if let Err(error) = set_up {
        let _ = child.kill();
        let _ = child.wait();
        return Err(error);
    }
    Ok((child, Tree(Arc::new(job))))
}

/// A new Job Object with the case's limits, whose processes all end when it is closed.
fn new_job(limits: Limits) -> io::Result<OwnedHandle> {
    // SAFETY: no security attributes and no name: a new anonymous job.
    let raw = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
    if raw.is_null() {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: CreateJobObjectW returned a new handle that nothing else owns.
    let job = unsafe { OwnedHandle::from_raw_handle(raw as _) };
    // SAFETY: a plain C struct of integers, for which all-zero bytes are a valid value.
    let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION
        | JOB_OBJECT_LIMIT_JOB_MEMORY
        | JOB_OBJECT_LIMIT_JOB_TIME
        | JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    // 100-nanosecond units.
    info.BasicLimitInformation.PerJobUserTimeLimit =
        i64::try_from(limits.cpu_seconds.saturating_mul(10_000_000)).unwrap_or(i64::MAX);
    info.BasicLimitInformation.ActiveProcessLimit =
        u32::try_from(limits.processes).unwrap_or(u32::MAX);
    info.JobMemoryLimit = usize::try_from(limits.memory).unwrap_or(usize::MAX);
    // SAFETY: the job handle is open; the struct is the one this information class takes,
    // with its size.
    let set = unsafe {
        SetInformationJobObject(
            job.as_raw_handle() as HANDLE,
            JobObjectExtendedLimitInformation,
            (&raw const info).cast::<c_void>(),
            size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
        )
    };
    if set == FALSE {
        return Err(io::Error::last_os_error());
    }
    Ok(job)
}

/// Resumes every thread of process `pid` (one: it was created suspended).
fn resume(pid: u32) -> io::Result<()> {
    // SAFETY: a snapshot of the system's threads; the handle is ours and closed below.
    let snapshot = unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0) };
    if snapshot == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the snapshot handle is new and owned here only.
    let snapshot = unsafe { OwnedHandle::from_raw_handle(snapshot as _) };
    // SAFETY: a plain C struct of integers, for which all-zero bytes are a valid value.
    let mut entry: THREADENTRY32 = unsafe { std::mem::zeroed() };
    entry.dwSize = size_of::<THREADENTRY32>() as u32;
    let mut resumed = 0;
    // SAFETY: the snapshot is open and `entry` is ours, with its size set.
    let mut more = unsafe { Thread32First(snapshot.as_raw_handle() as HANDLE, &mut entry) };
    while more != FALSE {
        if entry.th32OwnerProcessID == pid {
            // SAFETY: opens a thread by id for resuming; the handle is closed right after.
            let thread = unsafe { OpenThread(THREAD_SUSPEND_RESUME, FALSE, entry.th32ThreadID) };
            if !thread.is_null() {
                // SAFETY: the handle is open and ours; it is closed when `owned` drops.
                let owned = unsafe { OwnedHandle::from_raw_handle(thread as _) };
                // SAFETY: resumes the thread the open handle names.
                if unsafe { ResumeThread(owned.as_raw_handle() as HANDLE) } != u32::MAX {
                    resumed += 1;
                }
            }
        }
        // SAFETY: as for Thread32First.
        more = unsafe { Thread32Next(snapshot.as_raw_handle() as HANDLE, &mut entry) };
    }
    if resumed == 0 {
        return Err(io::Error::other(format!(
            "cannot resume the process {pid}: no thread of it was found"
        )));
    }
    Ok(())
}

/// Returns when `child` has ended or `limit` has passed, whichever is first: its process
/// handle is signalled when it exits (see [`super::Child::wait_for`]).
pub fn wait_exit(child: &std::process::Child, limit: std::time::Duration) {
    let millis = u32::try_from(limit.as_millis().max(1)).unwrap_or(u32::MAX - 1);
    // SAFETY: the handle is the child's own, open for as long as `child` lives; a wait that
    // fails returns at once and the caller looks again.
    unsafe { WaitForSingleObject(child.as_raw_handle() as HANDLE, millis) };
}

pub fn ending(status: ExitStatus) -> Ending {
    let Some(code) = status.code() else {
        return Ending::Crashed("an unknown status".into());
    };
    let ntstatus = code as u32;
    // Exceptions (NTSTATUS errors) have the two top bits set; anything else is an exit code.
    if ntstatus & 0xC000_0000 != 0xC000_0000 {
        return Ending::Exited(code);
    }
    let what = match ntstatus {
        0xC000_0409 => return Ending::Aborted,
        0xC000_0005 => "access violation",
        0xC000_00FD => "stack overflow",
        0xC000_0017 | 0xC000_012D => "out of memory",
        0xC000_001D => "illegal instruction",
        0xC000_0094 => "integer division by zero",
        0xC000_013A => "Ctrl-C",
        KILLED_BY_CHECKER => "ended by the checker",
        _ => "",
    };
    Ending::Crashed(if what.is_empty() {
        format!("exception {ntstatus:#010X}")
    } else {
        format!("exception {ntstatus:#010X} ({what})")
    })
}

/// Turns on virtual terminal processing of the console (Windows 10 and later), which shows
/// ANSI colors; false on an older console or none.
pub fn enable_ansi_colors() -> bool {
    anstyle_query::windows::enable_ansi_colors().unwrap_or(false)
}

/// Windows has no child subreaper, and needs none: a case cannot leave its job.
pub fn become_subreaper() {}

/// None: every process a case starts stays in its job, which is ended with it.
pub fn kill_strays(_is_case: &dyn Fn(u32) -> bool) -> usize {
    0
}

/// Nothing beyond the cases' jobs: cargo and its compilers share the student's console, and
/// Ctrl-C reaches them there.
pub fn kill_descendants() {}

/// Windows has no process groups that a process could signal.
pub fn group_of(_pid: i32) -> Option<i32> {
    None
}

/// Windows has no load average (its processor queue length is a performance counter of
/// another kind): unknown.
pub fn load_average() -> Option<f64> {
    None
}

/// Not read on Windows (`GetSystemTimes` would give it): unknown.
pub fn machine_cpu_seconds() -> Option<f64> {
    None
}

/// Not read on Windows: unknown.
pub fn own_cpu_seconds() -> Option<f64> {
    None
}

/// Windows has no request to end a process: the caller's kill follows.
pub fn ask_to_end(_child: &std::process::Child) {}

/// Whether process `pid` exists.
pub fn process_exists(pid: u32) -> bool {
    // SAFETY: opens the process for a query only; the handle is closed at once.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid) };
    if handle.is_null() {
        return false;
    }
    // SAFETY: the handle is open and ours.
    drop(unsafe { OwnedHandle::from_raw_handle(handle as _) });
    true
}

/// Windows reports no peak memory of a process tree for a waited-for child: `None`.
pub fn run_measured(command: &mut Command) -> io::Result<(i32, Option<f64>)> {
    let status = command.spawn()?.wait()?;
    Ok((status.code().unwrap_or(-1), None))
}

/// Ctrl-C and Ctrl-Break, through the `ctrlc` crate (SetConsoleCtrlHandler underneath): its
/// handler runs on a thread of its own, which hands each one to the route. Windows does not
/// say who sent it.
pub mod interrupts {
    use std::io;
    use std::sync::OnceLock;
    use std::time::Duration;

    use crate::os::{StopSignal, deliver};

    pub fn install() -> io::Result<()> {
        static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
        INSTALLED
            .get_or_init(|| {
                ctrlc::set_handler(|| deliver(StopSignal { sender: None }))
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(io::Error::other)
    }

    /// Nothing to wait for: no case can send the checker a console event.
    pub fn settle(_limit: Duration) {}
}
