//! The OS layer on Unix (Linux and macOS): process groups, rlimits, fd 3, signals.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus};

use asynclings_runner::protocol::RESULT_FD;
use rustix::process::{Pid, Resource, Rlimit, Signal};

use super::sandbox::Confinement;
use super::{Ending, Limits, TreeUsage};

#[cfg(target_os = "linux")]
use super::linux as this_os;
#[cfg(target_os = "macos")]
use super::macos as this_os;

/// The only environment variables a case inherits from the checker.
pub const KEPT_ENV: &[&str] = &["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ"];

/// How an abort reads as an exit status.
pub const ABORT_STATUS: &str = "signal SIGABRT";
/// What an abort is called.
pub const ABORT_NAME: &str = "SIGABRT";

/// The checker's side of a case's result channel: a file without a name
/// ([`super::unnamed_file`]), which the child gets as fd 3.
#[derive(Debug)]
pub struct ResultChannel {
    file: File,
}

impl ResultChannel {
    /// A new, empty channel.
    ///
    /// # Errors
    /// No temporary file can be made.
    pub fn new() -> io::Result<Self> {
        Ok(Self {
            file: super::unshrinkable_file()?,
        })
    }

    /// A channel over `fd` instead of a file: a case server's end of its socket, which the
    /// server gets as fd 3 ([`super::case_server`]).
    #[cfg(target_os = "linux")]
    pub fn of_socket(fd: OwnedFd) -> Self {
        Self {
            file: File::from(fd),
        }
    }

    /// The file itself (to measure what it holds).
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Everything the child wrote on it.
    ///
    /// # Errors
    /// It cannot be read.
    pub fn read_all(&mut self) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.file.seek(SeekFrom::Start(0))?;
        self.file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

/// A case's process tree: its process group (whose id is the case's pid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree(i32);

impl Tree {
    /// The tree of the case whose process is `pid`, group leader of its own session: a case
    /// forked by a case server ([`super::case_server`]).
    #[cfg(target_os = "linux")]
    pub fn of_group(pid: i32) -> Self {
        Self(pid)
    }

    /// Ends every process of the tree at once (SIGKILL to the group).
    pub fn kill(&self) {
        self.signal(Signal::KILL);
    }

    /// Asks every process of the tree to end (SIGTERM to the group); [`Tree::kill`] follows.
    pub fn terminate(&self) {
        self.signal(Signal::TERM);
    }

    fn signal(&self, signal: Signal) {
        if let Some(group) = Pid::from_raw(self.0) {
            // A group that is gone gives ESRCH, which is fine.
            let _ = rustix::process::kill_process_group(group, signal);
        }
    }

    /// Whether the case's own process is stopped (SIGSTOP): it froze itself, watchdog and all.
    pub fn is_stopped(&self) -> bool {
        is_stopped(self.0)
    }

    /// What the tree uses now, where the OS says (Linux); `seen` as in [`TreeUsage`].
    pub fn usage(&self, seen: &mut std::collections::HashSet<(u64, u64)>) -> Option<TreeUsage> {
        this_os::tree_usage(self.0, seen)
    }
}

pub fn spawn(
    mut command: Command,
    confinement: Confinement,
    result: &ResultChannel,
    limits: Limits,
) -> io::Result<(std::process::Child, Tree)> {
    let result_fd = result.file.as_raw_fd();
    let process_limit = process_limit(limits.processes);
    let rlimits = [
        (Resource::Core, 0),
        (Resource::Fsize, limits.file_size),
        (Resource::Cpu, limits.cpu_seconds),
        (Resource::As, limits.memory),
    ];
    // SAFETY: only async-signal-safe calls (setsid, setpgid, dup2, fcntl, close_range,
    // setrlimit, each one system call) between fork and exec; the values they use were
    // computed before the fork.
    unsafe {
        command.pre_exec(move || {
            // A session of its own, which is also a process group of its own (whose id is the
            // child's pid): where the kernel groups the scheduling of a session (autogroup, in
            // the root CPU cgroup), a case's hundred threads weigh as one against its
            // neighbours'. Code under test cannot leave the session without unsafe code.
            if libc::setsid() < 0 && libc::setpgid(0, 0) < 0 {
                return Err(io::Error::last_os_error());
            }
            // dup2 onto itself is a no-op that keeps close-on-exec: clear it instead.
            let ok = if result_fd == RESULT_FD {
                libc::fcntl(RESULT_FD, libc::F_SETFD, 0) >= 0
            } else {
                libc::dup2(result_fd, RESULT_FD) >= 0
            };
            if !ok {
                return Err(io::Error::last_os_error());
            }
            close_other_fds_on_exec();
            for (resource, value) in rlimits {
                set_limit(resource, value);
            }
            if let Some(limit) = process_limit {
                set_limit(Resource::Nproc, limit);
            }
            Ok(())
        });
    }
    // Last: the rlimits above are set while the child may still raise them, and no step above
    // is refused by the confinement.
    confinement.register(&mut command);
    let child = command.spawn()?;
    let tree = Tree(child.id() as i32);
    Ok((child, tree))
}

fn set_limit(resource: Resource, value: u64) {
    let limit = Rlimit {
        current: Some(value),
        maximum: Some(value),
    };
    // Failure leaves the inherited limit.
    let _ = rustix::process::setrlimit(resource, limit);
}

/// The RLIMIT_NPROC for children: what this user runs now plus `headroom`, within the current
/// hard limit; `None` for root, whom the kernel does not limit, and where the user's count
/// cannot be read (off Linux).
fn process_limit(headroom: u64) -> Option<u64> {
    static RUNNING: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    let running = RUNNING.get_or_init(|| {
        if rustix::process::geteuid().is_root() {
            return None;
        }
        this_os::counted_by_nproc(rustix::process::getuid().as_raw())
    });
    let running = (*running)?;
    let hard = rustix::process::getrlimit(Resource::Nproc).maximum;
    Some((running + headroom).min(hard.unwrap_or(u64::MAX)))
}

/// Marks every descriptor past the result channel close-on-exec, so that the child starts with
/// fds 0 to 3 only: the checker may have inherited others (a CI runner's pipes, a jobserver)
/// that the code under test must not write to. Marked rather than closed: the standard
/// library's own close-on-exec pipe, which reports a failed exec, must stay open until exec.
/// Only async-signal-safe calls: it runs between fork and exec.
fn close_other_fds_on_exec() {
    let first = RESULT_FD + 1;
    #[cfg(target_os = "linux")]
    // SAFETY: close_range with CLOSE_RANGE_CLOEXEC only sets a flag on descriptors.
    if unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first as u32,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    } == 0
    {
        return;
    }
    // Elsewhere, and on older kernels: one descriptor at a time, up to the open-files limit.
    let last = rustix::process::getrlimit(Resource::Nofile)
        .current
        .map_or(1024, |n| n.min(65_536) as i32);
    for fd in first..last {
        // SAFETY: fcntl(F_SETFD) only sets a flag; on a descriptor that is not open it fails
        // with EBADF and changes nothing.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
}

/// Returns when `child` has ended or `limit` has passed, whichever is first (see
/// [`super::Child::wait_for`]).
pub fn wait_exit(child: &std::process::Child, limit: std::time::Duration) {
    this_os::wait_exit(child.id(), limit);
}

pub fn ending(status: ExitStatus) -> Ending {
    if let Some(code) = status.code() {
        return Ending::Exited(code);
    }
    match status.signal() {
        Some(libc::SIGABRT) => Ending::Aborted,
        Some(libc::SIGXCPU) => Ending::CpuTime,
        Some(libc::SIGXFSZ) => Ending::FileSize,
        Some(signal) => Ending::Crashed(format!("signal {}", signal_name(signal))),
        None => Ending::Crashed("an unknown status".into()),
    }
}

/// The name of a signal (`SIGSEGV`), or its number.
fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGINT => "SIGINT",
        libc::SIGHUP => "SIGHUP",
        _ => return signal.to_string(),
    };
    name.to_string()
}

/// Unix terminals show ANSI colors as they are.
pub fn enable_ansi_colors() -> bool {
    true
}

pub fn become_subreaper() {
    this_os::become_subreaper();
}

/// Child process ids of process `pid`.
fn children(pid: i32) -> Vec<i32> {
    this_os::children(pid)
}

fn is_stopped(pid: i32) -> bool {
    this_os::is_stopped(pid)
}

pub fn kill_strays(is_case: &dyn Fn(u32) -> bool) -> usize {
    let own = std::process::id() as i32;
    let mut killed = 0;
    // Killing a stray orphans its own children, which come back to this process where it is a
    // subreaper: each round kills one generation. A bound keeps a fork bomb from holding us.
    for _ in 0..64 {
        let strays: Vec<Pid> = children(own)
            .into_iter()
            .filter(|&pid| !is_case(pid as u32))
            .filter_map(Pid::from_raw)
            .collect();
        if strays.is_empty() {
            break;
        }
        for &pid in &strays {
            let _ = rustix::process::kill_process(pid, Signal::KILL);
            // A child of ours that nobody else waits for: reap it.
            let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::empty());
        }
        killed += strays.len();
    }
    killed
}

pub fn kill_descendants() {
    let mut found = children(std::process::id() as i32);
    let mut index = 0;
    while let Some(&pid) = found.get(index) {
        // A bound keeps a fork bomb from holding the interrupt handler forever.
        if found.len() > 100_000 {
            break;
        }
        found.extend(children(pid));
        index += 1;
    }
    for pid in found.into_iter().filter_map(Pid::from_raw) {
        let _ = rustix::process::kill_process(pid, Signal::KILL);
    }
}

pub fn group_of(pid: i32) -> Option<i32> {
    let pid = Pid::from_raw(pid)?;
    rustix::process::getpgid(Some(pid))
        .ok()
        .map(Pid::as_raw_pid)
}

pub fn load_average() -> Option<f64> {
    this_os::load_average()
}

pub fn machine_cpu_seconds() -> Option<f64> {
    this_os::machine_cpu_seconds()
}

pub fn own_cpu_seconds() -> Option<f64> {
    let seconds = |who: libc::c_int| {
        // SAFETY: rusage is plain integers and timevals: all zeroes is a valid value.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: getrusage writes only into the struct we own, passed by a valid pointer.
        let ok = unsafe { libc::getrusage(who, &mut usage) } == 0;
        let time = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        ok.then(|| time(usage.ru_utime) + time(usage.ru_stime))
    };
    Some(seconds(libc::RUSAGE_SELF)? + seconds(libc::RUSAGE_CHILDREN)?)
}

pub fn process_exists(pid: u32) -> bool {
    Pid::from_raw(pid as i32).is_some_and(|pid| rustix::process::test_kill_process(pid).is_ok())
}

/// SIGTERM to `child` alone (not to a group: an ordinary child shares ours).
pub fn ask_to_end(child: &std::process::Child) {
    if let Some(pid) = i32::try_from(child.id()).ok().and_then(Pid::from_raw) {
        // A child that has ended already gives ESRCH, which is fine: it is not waited for yet,
        // so its pid is still its own.
        let _ = rustix::process::kill_process(pid, Signal::TERM);
    }
}

pub fn run_measured(command: &mut Command) -> io::Result<(i32, Option<f64>)> {
    let child = command.spawn()?;
    let pid = child.id() as i32;
    let mut status = 0;
    // SAFETY: libc::rusage is a plain C struct of integers, for which all-zero bytes are a
    // valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 writes the status and usage we own; the child is ours and waited for only
    // here (rustix has no wait4: the peak memory of the waited-for tree is its reason to be).
    if unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } < 0 {
        return Err(io::Error::last_os_error());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((code, Some(this_os::max_rss_mib(usage.ru_maxrss))))
}

/// Stop signals: a handler (signal-hook-registry, which keeps errno) that counts the signal
/// and passes its sender down a pipe to a thread of ours, which hands it to the route.
pub mod interrupts {
    use std::io;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    use super::{AsFd, OwnedFd};
    use crate::os::{StopSignal, deliver};

    /// The stop signals the checker handles.
    const STOP_SIGNALS: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    /// Stop signals received and not yet handed over and returned from the route.
    static UNSETTLED: AtomicUsize = AtomicUsize::new(0);

    /// The write end of the pipe from the handler to the thread that acts on signals.
    static PIPE: OnceLock<OwnedFd> = OnceLock::new();

    pub fn install() -> io::Result<()> {
        static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
        INSTALLED
            .get_or_init(|| install_once().map_err(|e| e.to_string()))
            .clone()
            .map_err(io::Error::other)
    }

    fn install_once() -> io::Result<()> {
        // pipe and then close-on-exec: macOS has no pipe2. Nothing is spawned before the
        // handler is in place, so no child can inherit the pipe in between.
        let (read, write) = rustix::pipe::pipe()?;
        for end in [&read, &write] {
            rustix::io::fcntl_setfd(end, rustix::io::FdFlags::CLOEXEC)?;
        }
        let _ = PIPE.set(write);
        std::thread::Builder::new()
            .name("checker-signals".into())
            .spawn(move || act_on_signals(&read))?;
        for signal in STOP_SIGNALS {
            // SAFETY: the action is async-signal-safe: one atomic operation and one write(2)
            // of 4 bytes to a pipe (atomic), on a descriptor that lives as long as the process.
            unsafe { signal_hook_registry::register_sigaction(signal, on_signal) }?;
        }
        Ok(())
    }

    /// The handler: counts the signal and writes its sender (0: none) to the pipe.
    fn on_signal(info: &libc::siginfo_t) {
        // si_pid means the sender for signals sent by a process (si_code <= 0; SI_USER is 0);
        // a terminal's Ctrl-C comes from the kernel.
        let sender = if info.si_code <= 0 {
            // SAFETY: si_pid is valid for signals a process sent with kill(2) (si_code <= 0).
            unsafe { info.si_pid() }
        } else {
            0
        };
        UNSETTLED.fetch_add(1, Ordering::SeqCst);
        if let Some(pipe) = PIPE.get() {
            let _ = rustix::io::write(pipe.as_fd(), &sender.to_ne_bytes());
        }
    }

    fn act_on_signals(read: &OwnedFd) {
        let mut bytes = [0u8; 4];
        loop {
            match rustix::io::read(read, &mut bytes) {
                Ok(4) => {}
                Err(rustix::io::Errno::INTR) => continue,
                _ => return,
            }
            let sender = i32::from_ne_bytes(bytes);
            deliver(StopSignal {
                sender: (sender > 0).then_some(sender),
            });
            UNSETTLED.fetch_sub(1, Ordering::SeqCst);
        }
    }

    pub fn settle(limit: Duration) {
        let deadline = Instant::now() + limit;
        while (UNSETTLED.load(Ordering::SeqCst) > 0
            || super::this_os::signal_pending(&STOP_SIGNALS))
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}
