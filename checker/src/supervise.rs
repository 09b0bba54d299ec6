//! Runs one case in a child process and collects what it reports.
//!
//! The child gets its own process group, resource limits (core dumps off, file size, address
//! space, CPU time, and processes when not root), no stdin, an environment with nothing but
//! what a program needs to run (so the grader's secrets, CI tokens for one, stay out of reach),
//! an empty scratch directory as its working directory, and a result file on fd 3 that only it
//! and the checker know about; its report must carry this run's secret. The checker's own
//! wall-clock limit (the runner's watchdog plus a grace period) ends children that stop
//! responding: SIGTERM to the whole group, then SIGKILL. When a case ends, whatever is left of
//! its group is killed, and so is any process that escaped the group (the checker is a child
//! subreaper, so orphans come back to it). `docs/security.md` says what this does not stop.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use asynclings_runner::children_of;
use asynclings_runner::protocol::{
    self, CaseReport, CaseRequest, FrameError, REQUEST_ENV, RESULT_FD, SECRET_ENV,
};

/// Most bytes of a child's stderr kept (the end of it, where panics and aborts are).
pub const STDERR_CAP: u64 = 16 * 1024;
/// The file-size limit of a child: no file it writes (its stdout included) grows past this.
pub const FILE_SIZE_LIMIT: u64 = 64 * 1024 * 1024;
/// The address-space limit of a child: a memory bomb fails its allocation here.
pub const ADDRESS_SPACE_LIMIT: u64 = 4 * 1024 * 1024 * 1024;
/// Extra real time the checker allows past a case's timeout before killing the child.
pub const GRACE: Duration = Duration::from_secs(2);
/// Threads and processes a child may start beyond those its user already runs (RLIMIT_NPROC
/// counts every process of the user, so the limit is set relative to the count at start-up).
/// The kernel does not apply this limit to root.
pub const PROCESS_HEADROOM: u64 = 1024;
/// The only environment variables a child inherits from the checker.
pub const KEPT_ENV: &[&str] = &["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ"];

/// The runner binary of the implementation under test.
#[derive(Debug, Clone)]
pub struct Runner {
    /// Path of the binary.
    pub path: PathBuf,
    /// Variant, for a binary that holds several implementations.
    pub variant: Option<String>,
}

/// What the checker saw of a case.
#[derive(Debug, Clone)]
pub enum Observed {
    /// The child reported.
    Report(CaseReport),
    /// The child ended without a report.
    Crashed {
        /// How it ended, in words (`exit status 0`, `signal SIGSEGV`).
        status: String,
        /// Exit code, when it exited.
        code: Option<i32>,
        /// The end of its stderr.
        stderr: String,
    },
    /// The checker killed it after its real-time budget and grace period.
    Killed {
        /// Seconds of real time before the kill.
        after: f64,
        /// The end of its stderr.
        stderr: String,
        /// It was stopped (SIGSTOP, state `T`) when its budget ran out: it froze itself.
        stopped: bool,
    },
    /// Something other than one genuine report was on the result channel.
    Forged {
        /// What was wrong with it.
        why: String,
    },
    /// The child could not be started.
    NotStarted(String),
}

/// How many of the latest cases' process ids [`signal_from_case`] remembers.
const REMEMBERED_CASES: usize = 1024;
/// Process ids (= group ids) of the latest cases, running or ended: a ring, written at spawn
/// and never cleared, so that a signal sent by a case just before it ended and was reaped is
/// still told apart (lock-free: the signal handler reads it).
static CASE_PIDS: [AtomicI32; REMEMBERED_CASES] = [const { AtomicI32::new(0) }; REMEMBERED_CASES];
/// Where the next case pid goes in [`CASE_PIDS`].
static NEXT_CASE_PID: AtomicUsize = AtomicUsize::new(0);
/// Groups of cases that sent a stop signal to the checker, not yet collected (0: free slot).
static SIGNALLERS: [AtomicI32; 64] = [const { AtomicI32::new(0) }; 64];
/// Stop signals received and not yet classified by [`signal_from_case`].
static UNCLASSIFIED: AtomicUsize = AtomicUsize::new(0);

fn remember_case(pid: i32) {
    let slot = NEXT_CASE_PID.fetch_add(1, Ordering::SeqCst) % REMEMBERED_CASES;
    CASE_PIDS[slot].store(pid, Ordering::SeqCst);
}

fn is_case(pid: i32) -> bool {
    pid > 0 && CASE_PIDS.iter().any(|p| p.load(Ordering::SeqCst) == pid)
}

/// Counts a stop signal just received, until [`signal_from_case`] classifies it. Called from a
/// signal handler: one atomic operation.
pub fn signal_arrived() {
    UNCLASSIFIED.fetch_add(1, Ordering::SeqCst);
}

/// Whether a stop signal (SIGINT, SIGTERM, SIGHUP) sent by process `sender` came from the code
/// under test: `sender` is one of the latest cases' processes, or is in the process group of
/// one. If so, the case is noted (its verdict says so) and the signal is to be ignored. Each
/// signal counted by [`signal_arrived`] must be classified here once.
///
/// A sender that is gone (a process of a case's group that exited and was reaped before this
/// runs) or that left its case's group (setsid) is not recognised: its signal interrupts the
/// run, whose report then never passes.
pub fn signal_from_case(sender: i32) -> bool {
    // Cases are spawned and remembered under this lock: one started just now is known.
    let registry = live();
    let group = if sender <= 0 {
        None
    } else if is_case(sender) {
        Some(sender)
    } else {
        // SAFETY: getpgid only reads the process table; a process that is gone gives -1.
        let group = unsafe { libc::getpgid(sender) };
        is_case(group).then_some(group)
    };
    drop(registry);
    if let Some(group) = group {
        for slot in &SIGNALLERS {
            let noted = slot.compare_exchange(0, group, Ordering::SeqCst, Ordering::SeqCst);
            if noted.is_ok() || noted == Err(group) {
                break;
            }
        }
    }
    UNCLASSIFIED.fetch_sub(1, Ordering::SeqCst);
    group.is_some()
}

/// Whether a stop signal is pending for this process, not yet handled (Linux: `ShdPnd`).
fn stop_signal_pending() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    let pending = status
        .lines()
        .find_map(|l| l.strip_prefix("ShdPnd:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    [libc::SIGINT, libc::SIGTERM, libc::SIGHUP]
        .iter()
        .any(|&signal| pending & (1 << (signal - 1)) != 0)
}

/// Whether case `group` (ended) sent a stop signal to the checker; collects the note. Waits
/// (briefly) for signals still pending or being handled, which may be that case's.
fn take_signal_note(group: i32) -> bool {
    let deadline = Instant::now() + Duration::from_millis(100);
    while (UNCLASSIFIED.load(Ordering::SeqCst) > 0 || stop_signal_pending())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    SIGNALLERS.iter().any(|slot| {
        slot.compare_exchange(group, 0, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    })
}

/// Process ids (= group ids) of the children running now.
static LIVE: Mutex<Option<HashSet<i32>>> = Mutex::new(None);

fn live() -> std::sync::MutexGuard<'static, Option<HashSet<i32>>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Kills every running child's process group (on Ctrl-C); they report nothing more. Every
/// other descendant goes too: cargo and its compilers during the build, strays during grading.
/// Nothing is reaped here: whoever waits for a child (the build, a case) still does.
pub fn kill_all() {
    for &group in live().iter().flatten() {
        kill_group(group, libc::SIGKILL);
    }
    for pid in descendants_of_self() {
        // SAFETY: kill only sends a signal, to a descendant of this process.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
}

/// Every descendant of this process, parents before their children (Linux; empty elsewhere).
fn descendants_of_self() -> Vec<i32> {
    let mut found = children_of("self");
    let mut index = 0;
    while let Some(&pid) = found.get(index) {
        // A bound keeps a fork bomb from holding the interrupt handler forever.
        if found.len() > 100_000 {
            break;
        }
        found.extend(children_of(&pid.to_string()));
        index += 1;
    }
    found
}

/// Makes this process the reaper of its orphaned descendants (Linux), so that a process that
/// left its case's group (setsid, double fork) is still found by [`kill_strays`].
pub fn become_subreaper() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_CHILD_SUBREAPER only sets a flag on this process.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
}

/// Child processes of this process, from /proc (Linux; empty elsewhere).
fn children_of_self() -> Vec<i32> {
    children_of("self")
}

/// Kills and reaps every child of this process that is not a running case: descendants of a
/// finished case that escaped its process group. Returns how many there were.
///
/// Killing a stray orphans its own children, which then come back to this process (it is a
/// subreaper): so it sweeps again until a sweep finds nothing.
pub fn kill_strays() -> usize {
    let mut killed = 0;
    // Each round kills one generation; a bound keeps a fork bomb from holding us forever.
    for _ in 0..64 {
        let live = live();
        let strays: Vec<i32> = children_of_self()
            .into_iter()
            .filter(|pid| !live.iter().flatten().any(|l| l == pid))
            .collect();
        drop(live);
        if strays.is_empty() {
            break;
        }
        for &pid in &strays {
            // SAFETY: kill and waitpid on a child of ours that no one else waits for.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, std::ptr::null_mut(), 0);
            }
        }
        killed += strays.len();
    }
    killed
}

/// The RLIMIT_NPROC for children: the threads this user runs now plus [`PROCESS_HEADROOM`],
/// within the current hard limit; `None` for root, whom the kernel does not limit.
fn process_limit() -> Option<u64> {
    static LIMIT: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        // SAFETY: getuid and geteuid have no preconditions.
        let (uid, euid) = unsafe { (libc::getuid(), libc::geteuid()) };
        if euid == 0 {
            return None;
        }
        let mut current = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct it is given, which lives on this stack frame.
        if unsafe { libc::getrlimit(libc::RLIMIT_NPROC, &mut current) } != 0 {
            return None;
        }
        let limit = threads_of_user(uid) + PROCESS_HEADROOM;
        Some(limit.min(current.rlim_max))
    })
}

/// Threads (each counts against RLIMIT_NPROC) of every process of user `uid`, from /proc.
fn threads_of_user(uid: libc::uid_t) -> u64 {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return 0;
    };
    processes
        .flatten()
        .filter_map(|p| std::fs::read_to_string(p.path().join("status")).ok())
        .filter(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().next())
                .is_some_and(|real| real == uid.to_string())
        })
        .map(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse::<u64>().ok())
                .unwrap_or(1)
        })
        .sum()
}

fn new_secret() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Runs `request` in a child of `runner` and waits for it (at most its timeout plus grace).
pub fn run_case(runner: &Runner, request: &CaseRequest) -> Observed {
    run_case_watched(runner, request).0
}

/// [`run_case`], and whether the case sent a stop signal to the checker (which ignored it).
pub fn run_case_watched(runner: &Runner, request: &CaseRequest) -> (Observed, bool) {
    let mut signalled = false;
    let observed = match try_run_case(runner, request, &mut signalled) {
        Ok(observed) => observed,
        Err(error) => Observed::NotStarted(format!("{error:#}")),
    };
    (observed, signalled)
}

fn try_run_case(
    runner: &Runner,
    request: &CaseRequest,
    signalled: &mut bool,
) -> anyhow::Result<Observed> {
    let secret = new_secret();
    // An empty working directory: relative paths in the code under test reach nothing of ours.
    let scratch = tempfile::tempdir()?;
    let mut result = tempfile::tempfile()?;
    let mut stderr = tempfile::tempfile()?;
    let cpu_limit = (request.real_timeout + GRACE.as_secs_f64()).ceil() as u64 + 1;
    let mut command = sandboxed(runner, scratch.path(), &result, &stderr, cpu_limit)?;
    command
        .arg("--case")
        .env(REQUEST_ENV, serde_json::to_string(request)?)
        .env(SECRET_ENV, &secret)
        .stdout(Stdio::null());
    let started = Instant::now();
    let Some(mut child) = spawn_registered(&mut command, runner)? else {
        return Ok(Observed::NotStarted("the run was interrupted".into()));
    };
    let group = child.id() as i32;
    let deadline = started + asynclings_runner::protocol::seconds(request.real_timeout) + GRACE;
    let mut stopped = false;
    let status = wait_until(&mut child, deadline, &mut stopped);
    // Whatever the child left behind in its group goes with it, and so do escaped descendants.
    kill_group(group, libc::SIGKILL);
    if let Some(registry) = live().as_mut() {
        registry.remove(&group);
    }
    kill_strays();
    *signalled = take_signal_note(group);
    let status = status?;
    let stderr_text = read_tail(&mut stderr, STDERR_CAP);
    let Some(status) = status else {
        return Ok(Observed::Killed {
            after: started.elapsed().as_secs_f64(),
            stderr: stderr_text,
            stopped,
        });
    };
    let mut bytes = Vec::new();
    result.seek(SeekFrom::Start(0))?;
    result.read_to_end(&mut bytes)?;
    Ok(match protocol::unframe(&secret, &bytes) {
        Ok(report) => Observed::Report(report),
        Err(FrameError::Empty) => Observed::Crashed {
            status: describe(status),
            code: status.code(),
            stderr: stderr_text,
        },
        Err(FrameError::Forged(why)) => Observed::Forged { why },
    })
}

/// A command for `runner` with the sandbox of every case: its own process group, only
/// [`KEPT_ENV`] of the environment (and the variant), stdin closed, `stderr` as its stderr,
/// `result` on fd 3 and no other descriptor, `scratch` as its working directory, and the
/// resource limits (CPU `cpu_limit` seconds, file size, address space, processes).
fn sandboxed(
    runner: &Runner,
    scratch: &std::path::Path,
    result: &File,
    stderr: &File,
    cpu_limit: u64,
) -> anyhow::Result<Command> {
    let mut command = Command::new(&runner.path);
    command.env_clear();
    for name in KEPT_ENV {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command
        .stdin(Stdio::null())
        .stderr(stderr.try_clone()?)
        .current_dir(scratch)
        .process_group(0);
    if let Some(variant) = &runner.variant {
        command.env(asynclings_runner::VARIANT_ENV, variant);
    }
    let result_fd = result.as_raw_fd();
    let process_limit = process_limit();
    // SAFETY: only async-signal-safe calls (dup2, fcntl, close_range, setrlimit) between fork
    // and exec; the values they use were computed before the fork.
    unsafe {
        command.pre_exec(move || {
            // dup2 onto itself is a no-op that keeps close-on-exec: clear it instead.
            let ok = if result_fd == RESULT_FD {
                libc::fcntl(RESULT_FD, libc::F_SETFD, 0) >= 0
            } else {
                libc::dup2(result_fd, RESULT_FD) >= 0
            };
            if !ok {
                return Err(std::io::Error::last_os_error());
            }
            close_other_fds_on_exec();
            set_limit(libc::RLIMIT_CORE, 0);
            set_limit(libc::RLIMIT_FSIZE, FILE_SIZE_LIMIT);
            set_limit(libc::RLIMIT_CPU, cpu_limit);
            set_limit(libc::RLIMIT_AS, ADDRESS_SPACE_LIMIT);
            if let Some(limit) = process_limit {
                set_limit(libc::RLIMIT_NPROC, limit);
            }
            Ok(())
        });
    }
    Ok(command)
}

/// Spawns `command` and registers its process group as running, under one lock: so that
/// kill_strays never mistakes it for a stray, and so that an interrupt either sees it
/// registered (and kills it) or is seen here (and nothing starts: `None`); kill_all takes the
/// same lock after setting STOP.
fn spawn_registered(
    command: &mut Command,
    runner: &Runner,
) -> anyhow::Result<Option<std::process::Child>> {
    let mut registry = live();
    if interrupted() {
        return Ok(None);
    }
    let child = command
        .spawn()
        .map_err(|error| anyhow::anyhow!("cannot start {}: {error}", runner.path.display()))?;
    let group = child.id() as i32;
    registry.get_or_insert_with(HashSet::new).insert(group);
    remember_case(group);
    Ok(Some(child))
}

/// What `runner --manifest` printed: run in the sandbox of a case ([`sandboxed`]), for at
/// most `limit`, its whole process group killed afterwards. Fails when it cannot start, was
/// interrupted, did not finish in time, or did not succeed (with the end of its stderr).
pub fn run_manifest(runner: &Runner, limit: Duration) -> anyhow::Result<Vec<u8>> {
    let scratch = tempfile::tempdir()?;
    let result = tempfile::tempfile()?;
    let mut stdout = tempfile::tempfile()?;
    let mut stderr = tempfile::tempfile()?;
    let cpu_limit = limit.as_secs() + 1;
    let mut command = sandboxed(runner, scratch.path(), &result, &stderr, cpu_limit)?;
    command.arg("--manifest").stdout(stdout.try_clone()?);
    let Some(mut child) = spawn_registered(&mut command, runner)? else {
        anyhow::bail!("the run was interrupted");
    };
    let group = child.id() as i32;
    let status = wait_until(&mut child, Instant::now() + limit, &mut false);
    kill_group(group, libc::SIGKILL);
    if let Some(registry) = live().as_mut() {
        registry.remove(&group);
    }
    let Some(status) = status? else {
        anyhow::bail!("no answer within {} s", limit.as_secs());
    };
    if !status.success() {
        anyhow::bail!(
            "it ended with {}: {}",
            describe(status),
            read_tail(&mut stderr, STDERR_CAP).trim()
        );
    }
    let mut bytes = Vec::new();
    stdout.seek(SeekFrom::Start(0))?;
    stdout.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Marks every descriptor past the result channel close-on-exec, so that the child starts with
/// fds 0 to 3 only: the checker may have inherited others (a CI runner's pipes, a jobserver)
/// that the code under test must not write to. Marked rather than closed: the standard
/// library's own close-on-exec pipe, which reports a failed exec, must stay open until exec.
/// Only async-signal-safe calls: it runs between fork and exec.
fn close_other_fds_on_exec() {
    let first = RESULT_FD as u32 + 1;
    #[cfg(target_os = "linux")]
    // SAFETY: close_range with CLOSE_RANGE_CLOEXEC only sets a flag on descriptors.
    if unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    } == 0
    {
        return;
    }
    // Older kernels: one descriptor at a time, up to the limit on open files.
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the struct it is given, which lives on this stack frame.
    let last = if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
        limit.rlim_cur.min(65_536) as i32
    } else {
        1024
    };
    for fd in first as i32..last {
        // SAFETY: fcntl(F_SETFD) only sets a flag; on a descriptor that is not open it fails
        // with EBADF and changes nothing.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
}

fn set_limit(resource: libc::__rlimit_resource_t, value: u64) {
    let limit = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: setrlimit reads the struct; failure leaves the inherited limit.
    unsafe { libc::setrlimit(resource, &limit) };
}

/// Waits for the child until `deadline`; past it, ends its group (TERM, then KILL).
/// Waits for `child` until `deadline`, then ends its group (SIGTERM, then SIGKILL). `None`
/// when it had to be ended; `stopped` then says whether it was stopped (SIGSTOP) at the
/// deadline rather than running or blocked.
fn wait_until(
    child: &mut std::process::Child,
    deadline: Instant,
    stopped: &mut bool,
) -> anyhow::Result<Option<ExitStatus>> {
    let mut pause = Duration::from_micros(50);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if interrupted() {
            // Ctrl-C: the verdict would be the interruption's; end the case at once.
            kill_group(child.id() as i32, libc::SIGKILL);
            child.wait()?;
            return Ok(None);
        }
        if Instant::now() >= deadline {
            let group = child.id() as i32;
            *stopped = is_stopped(group);
            kill_group(group, libc::SIGTERM);
            let term_deadline = Instant::now() + Duration::from_millis(300);
            while Instant::now() < term_deadline {
                if child.try_wait()?.is_some() {
                    return Ok(None);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            kill_group(group, libc::SIGKILL);
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}

/// Whether process `pid` is stopped (state `T` or `t` in `/proc/PID/stat`).
fn is_stopped(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // `pid (comm) state ...`: comm may hold spaces and parentheses.
        stat.rfind(')')
            .and_then(|close| stat[close + 1..].split_whitespace().next())
            .is_some_and(|state| state == "T" || state == "t")
    })
}

/// Whether the run was interrupted (Ctrl-C, SIGTERM): no case starts, running ones end.
fn interrupted() -> bool {
    crate::grade::STOP.load(std::sync::atomic::Ordering::SeqCst)
}

/// Sends `signal` to every process of group `group`.
pub fn kill_group(group: i32, signal: i32) {
    // SAFETY: killpg only sends a signal; a group that is gone gives ESRCH, which is fine.
    unsafe { libc::killpg(group, signal) };
}

fn read_tail(file: &mut File, cap: u64) -> String {
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(cap)));
    let mut bytes = Vec::new();
    let _ = file.take(cap).read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Says how a process ended, in words.
fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    match status.signal() {
        Some(signal) => format!("signal {}", signal_name(signal)),
        None => "an unknown status".into(),
    }
}

/// The name of a signal (`SIGSEGV`), or its number.
pub fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGABRT => "SIGABRT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGPIPE => "SIGPIPE",
        _ => return signal.to_string(),
    };
    name.to_string()
}
