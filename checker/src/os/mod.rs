//! Everything the checker does that depends on the operating system, behind one interface.
//!
//! The rest of the checker starts, watches and ends the processes of cases, reads their
//! results and reacts to Ctrl-C only through this module; `unix.rs` (Linux and macOS, with
//! `linux.rs` and `macos.rs` for what only one of them has) and `windows.rs` implement it.
//! `docs/platforms.md` says which guarantee holds on which system and by what mechanism.
//!
//! | concern | Unix | Windows |
//! |---|---|---|
//! | a case's process tree, ended whole | its own process group | a Job Object, kill-on-close |
//! | limits | rlimits (CPU, file size, address space, processes) | the job's CPU time, memory and process count |
//! | result channel | a file on fd 3 | a file whose path is in [`RESULT_PATH_ENV`] |
//! | stop signals | SIGINT, SIGTERM, SIGHUP, with their sender | Ctrl-C, Ctrl-Break |
//! | a case's CPU time and threads, whole tree | `/proc` (Linux); not read on macOS | not read (the job's limits hold) |
//! | scratch: measured, removed whatever its modes | `openat` and `st_blocks` ([`scratch`]) | lengths, `remove_dir_all` |

use std::fmt;
use std::io;
use std::process::{Command, ExitStatus};
use std::time::Duration;

#[cfg(target_os = "linux")]
pub mod case_server;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
pub mod sandbox;
#[cfg(target_os = "linux")]
mod sandbox_linux;
pub mod scratch;
#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub use asynclings_runner::protocol::RESULT_PATH_ENV;
pub use imp::{ABORT_NAME, KEPT_ENV, ResultChannel, Tree};

/// The limits a case's process runs under; each OS applies what it can (`docs/platforms.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// CPU time, seconds (of the process on Unix, of the whole job on Windows).
    pub cpu_seconds: u64,
    /// The largest file it may write, bytes (Unix only: Windows has no such limit).
    pub file_size: u64,
    /// Memory, bytes: address space on Unix (not enforced by macOS), committed memory of the
    /// whole job on Windows.
    pub memory: u64,
    /// Processes (and, on Linux, threads) it may start beyond those its user already runs;
    /// the kernel does not apply it to root on Unix.
    pub processes: u64,
}

/// What a case's process tree uses at one moment, where the OS says (Linux, from `/proc`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeUsage {
    /// CPU time of its processes, the ended ones that were waited for included.
    pub cpu: Duration,
    /// Threads of its processes, all counted (a process has one at least).
    pub tasks: u64,
    /// Of those, the threads running or ready to run (wanting a core), at this moment.
    pub running: u64,
    /// Bytes of disk held by regular files its processes keep open that have no name (deleted
    /// while open), which no walk of a folder finds. Each file counts once across calls that
    /// share the same set of seen files.
    pub unnamed_bytes: u64,
}

/// A process started by [`spawn`], with the handle that ends its whole tree.
#[derive(Debug)]
pub struct Child {
    child: std::process::Child,
    tree: Tree,
}

impl Child {
    /// Its process id (on Unix also the id of its process group).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Its exit status if it has ended; reaps it then.
    ///
    /// # Errors
    /// What the OS says when the status cannot be read.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.child.try_wait()
    }

    /// Waits at most `limit` for it to end; its exit status if it did (reaped then). On Linux
    /// the wait ends the moment the child does (a pidfd); elsewhere it sleeps `limit` first.
    ///
    /// # Errors
    /// What the OS says when the status cannot be read.
    pub fn wait_for(&mut self, limit: Duration) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.child.try_wait()? {
            return Ok(Some(status));
        }
        imp::wait_exit(&self.child, limit);
        self.child.try_wait()
    }

    /// Waits for it to end (end its tree first when it may not).
    ///
    /// # Errors
    /// What the OS says when the status cannot be read.
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        self.child.wait()
    }

    /// The handle that ends its whole process tree; it can outlive the child.
    pub fn tree(&self) -> Tree {
        self.tree.clone()
    }
}

/// Starts `command` as a case: in a process tree of its own that [`Tree`] ends whole, under
/// `limits`, with `result` as its result channel and no other inherited descriptor or handle
/// beyond its standard streams, confined by `confinement` (applied in the child last, before
/// exec). The environment, working directory and standard streams are the caller's to set on
/// `command`.
///
/// # Errors
/// The program cannot be started, its confinement cannot be applied (it never runs then), or
/// its tree cannot be set up (it is then ended).
pub fn spawn(
    command: Command,
    confinement: sandbox::Confinement,
    result: &ResultChannel,
    limits: Limits,
) -> io::Result<Child> {
    let (child, tree) = imp::spawn(command, confinement, result, limits)?;
    Ok(Child { child, tree })
}

/// How a process ended, as far as the grading cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// It exited with this code itself.
    Exited(i32),
    /// It aborted (SIGABRT; on Windows the fail-fast exception `std::process::abort` raises).
    Aborted,
    /// It used up its CPU time (SIGXCPU).
    CpuTime,
    /// It wrote past the file-size limit (SIGXFSZ).
    FileSize,
    /// Another signal or exception, named (`signal SIGSEGV`, `exception 0xC0000005 (access
    /// violation)`).
    Crashed(String),
}

impl Ending {
    /// How a process with exit status `status` ended.
    pub fn of(status: ExitStatus) -> Self {
        imp::ending(status)
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::Exited(code) => write!(f, "exit status {code}"),
            Ending::Aborted => f.write_str(imp::ABORT_STATUS),
            Ending::CpuTime => f.write_str("signal SIGXCPU"),
            Ending::FileSize => f.write_str("signal SIGXFSZ"),
            Ending::Crashed(what) => f.write_str(what),
        }
    }
}

/// Makes this process the reaper of its orphaned descendants where the OS can (Linux), so
/// that a process that left its case's tree is still found by [`kill_strays`].
pub fn become_subreaper() {
    imp::become_subreaper();
}

/// Kills and reaps every child of this process for which `is_case` is false: descendants of
/// finished cases that left their tree. Returns how many there were. Where a case's tree
/// cannot be left (a Job Object on Windows) there are none.
pub fn kill_strays(is_case: &dyn Fn(u32) -> bool) -> usize {
    imp::kill_strays(is_case)
}

/// Kills every descendant of this process (on an interrupt: cargo and its compilers during
/// a build, strays during grading). Nothing is reaped: whoever waits for a child still does.
pub fn kill_descendants() {
    imp::kill_descendants();
}

/// The process group of process `pid`, where the OS has groups and the process exists.
pub fn group_of(pid: i32) -> Option<i32> {
    imp::group_of(pid)
}

/// A stop request that reached the checker from outside: Ctrl-C, SIGTERM, SIGHUP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopSignal {
    /// The process that sent it, when the OS says (a signal sent with `kill` on Unix); `None`
    /// for a terminal's Ctrl-C and on Windows.
    pub sender: Option<i32>,
}

/// Where stop signals go while it lives: each one is handed to the routed function, on a
/// thread of the checker's own (never in a signal handler), one at a time.
///
/// The OS handler is installed the first time and stays; while nothing is routed, a stop
/// signal ends the checker with exit status 130, as an unhandled one would.
#[derive(Debug)]
pub struct Interrupts {
    /// Which route this is: dropping it removes the route only if it is still this one.
    id: u64,
}

impl Interrupts {
    /// Routes every stop signal to `on_stop` until the returned value is dropped (the route
    /// set last wins).
    ///
    /// # Errors
    /// The OS handler cannot be installed (then Ctrl-C keeps its default effect).
    pub fn route(on_stop: impl Fn(StopSignal) + Send + Sync + 'static) -> io::Result<Self> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        imp::interrupts::install()?;
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        *route_slot() = Some((id, std::sync::Arc::new(on_stop)));
        Ok(Self { id })
    }

    /// Waits, at most `limit`, until every stop signal received so far has been handed to the
    /// routed function and it has returned: a case that signalled the checker just before it
    /// ended is then known.
    pub fn settle(limit: Duration) {
        imp::interrupts::settle(limit);
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        let mut slot = route_slot();
        if slot.as_ref().is_some_and(|(id, _)| *id == self.id) {
            *slot = None;
        }
    }
}

type Route = std::sync::Arc<dyn Fn(StopSignal) + Send + Sync>;

fn route_slot() -> std::sync::MutexGuard<'static, Option<(u64, Route)>> {
    static ROUTE: std::sync::Mutex<Option<(u64, Route)>> = std::sync::Mutex::new(None);
    ROUTE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hands one stop signal to the route; called by the OS handler's thread.
fn deliver(signal: StopSignal) {
    let route = route_slot().as_ref().map(|(_, route)| route.clone());
    match route {
        Some(route) => route(signal),
        None => std::process::exit(i32::from(crate::exit::INTERRUPTED)),
    }
}

/// Makes the terminal on stdout show ANSI colors where it must be asked to (a Windows
/// console: virtual terminal processing, through `anstyle-query`); whether it can.
pub fn enable_ansi_colors() -> bool {
    imp::enable_ansi_colors()
}

/// Runs `command` to its end; returns its exit code (-1 when it did not exit by itself) and the
/// peak resident memory, MiB, of it and its descendants, where the OS reports it (Unix).
///
/// # Errors
/// It cannot be started or waited for.
pub fn run_measured(command: &mut Command) -> io::Result<(i32, Option<f64>)> {
    imp::run_measured(command)
}

/// A new file with no name, reached through the returned handle only: a case's result
/// channel, its stderr, a served case's request.
///
/// - **Linux:** a memfd (`memfd_create`, mode 0600), in memory: no inode of the disk's file
///   system is allocated and freed for each case (ext4's inode allocator, which skips recently
///   freed inodes, was about 4% of the CPU of a run of trivial cases). Like the unlinked file
///   it replaces, it is a regular file without links: what a case writes to it counts toward
///   its disk budget as an unnamed open file, and the file-size limit applies to it.
/// - **Elsewhere:** `tempfile::tempfile()`, an unlinked file of the temporary folder.
///
/// # Errors
/// The OS cannot make one.
pub fn unnamed_file() -> io::Result<std::fs::File> {
    #[cfg(target_os = "linux")]
    {
        linux::unnamed_file()
    }
    #[cfg(not(target_os = "linux"))]
    {
        tempfile::tempfile()
    }
}

/// A file like [`unnamed_file`]'s that cannot be cut shorter, for a case's result channel: on
/// Linux a memfd sealed with `F_SEAL_SHRINK`, so that the code under test, which can reopen
/// its fd 3 through `/proc/self/fd/3`, cannot truncate away the runner's start line (and so
/// pass its own crash off as the runner's failure); elsewhere [`unnamed_file`]'s file.
///
/// # Errors
/// The OS cannot make one.
#[cfg(unix)]
pub fn unshrinkable_file() -> io::Result<std::fs::File> {
    #[cfg(target_os = "linux")]
    {
        linux::unshrinkable_file()
    }
    #[cfg(not(target_os = "linux"))]
    {
        unnamed_file()
    }
}

/// The load average over the last minute (runnable and uninterruptible tasks, averaged), where
/// the OS reports one: `/proc/loadavg` on Linux, `getloadavg` on macOS; `None` on Windows,
/// which has no such figure, and where it cannot be read.
pub fn load_average() -> Option<f64> {
    imp::load_average()
}

/// Seconds of CPU time the whole machine has spent busy (all cores, since boot), where the OS
/// says: `/proc/stat` on Linux; `None` elsewhere.
pub fn machine_cpu_seconds() -> Option<f64> {
    imp::machine_cpu_seconds()
}

/// Seconds of CPU time this process and its waited-for descendants have used (`getrusage`,
/// self and children); `None` on Windows.
pub fn own_cpu_seconds() -> Option<f64> {
    imp::own_cpu_seconds()
}

/// Whether process `pid` exists (a zombie counts).
pub fn process_exists(pid: u32) -> bool {
    imp::process_exists(pid)
}

/// Asks `child`, an ordinary child process (not a case's tree, which [`Tree`] ends), to end:
/// SIGTERM on Unix, so that a checker running in it can still write its report. Windows has no
/// such request: nothing is sent, and [`wait_or_stop`]'s kill ends it.
pub fn ask_to_end(child: &std::process::Child) {
    imp::ask_to_end(child);
}

/// How [`wait_or_stop`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// The child ended by itself in time, with this status.
    Met(ExitStatus),
    /// It did not: it was asked to end, then killed if it had not ended `grace` later.
    Missed,
}

/// Waits for `child` (an ordinary child process) for `timeout`, looking every `poll`; past it
/// asks it to end ([`ask_to_end`]), and kills it if it has not ended `grace` later. The child
/// is reaped either way.
///
/// # Errors
/// Its status cannot be read.
pub fn wait_or_stop(
    child: &mut std::process::Child,
    timeout: Duration,
    grace: Duration,
    poll: Duration,
) -> io::Result<Deadline> {
    let started = std::time::Instant::now();
    let mut stopping: Option<std::time::Instant> = None;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(match stopping {
                None => Deadline::Met(status),
                Some(_) => Deadline::Missed,
            });
        }
        match stopping {
            None if started.elapsed() > timeout => {
                ask_to_end(child);
                stopping = Some(std::time::Instant::now());
            }
            Some(since) if since.elapsed() > grace => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(Deadline::Missed);
            }
            _ => {}
        }
        std::thread::sleep(poll);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn counter_route(counter: &Arc<AtomicUsize>) -> impl Fn(StopSignal) + Send + Sync + 'static {
        let counter = counter.clone();
        move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// A child process of `seconds` of sleep that ignores nothing.
    fn sleeper(seconds: u32) -> std::process::Child {
        #[cfg(unix)]
        let mut command = {
            let mut command = Command::new("sleep");
            command.arg(seconds.to_string());
            command
        };
        #[cfg(windows)]
        let mut command = {
            let mut command = Command::new("powershell");
            command.args(["-NoProfile", "-Command", &format!("Start-Sleep {seconds}")]);
            command
        };
        command.spawn().expect("the sleeper starts")
    }

    #[test]
    fn a_child_that_ends_in_time_meets_its_deadline() {
        let mut child = sleeper(0);
        let ended = wait_or_stop(
            &mut child,
            Duration::from_secs(60),
            Duration::from_secs(1),
            Duration::from_millis(10),
        )
        .expect("waits");
        assert!(
            matches!(ended, Deadline::Met(status) if status.success()),
            "{ended:?}"
        );
    }

    #[test]
    fn a_child_past_its_deadline_is_stopped_and_reaped() {
        let mut child = sleeper(60);
        let started = std::time::Instant::now();
        let ended = wait_or_stop(
            &mut child,
            Duration::from_millis(100),
            Duration::from_secs(5),
            Duration::from_millis(10),
        )
        .expect("waits");
        assert_eq!(ended, Deadline::Missed);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "stopped long before its 60 s of sleep"
        );
        assert!(
            child.try_wait().expect("reads").is_some(),
            "reaped: its status is known"
        );
    }

    #[test]
    fn the_route_set_last_gets_the_signal_and_an_older_one_dropping_does_not_remove_it() {
        let (first, second) = (Arc::default(), Arc::default());
        let older = Interrupts::route(counter_route(&first)).expect("handler installs");
        let newer = Interrupts::route(counter_route(&second)).expect("handler installs");
        drop(older);
        deliver(StopSignal { sender: None });
        assert_eq!(first.load(Ordering::SeqCst), 0);
        assert_eq!(second.load(Ordering::SeqCst), 1);
        drop(newer);
        assert!(route_slot().is_none(), "the last route dropped leaves none");
    }

    #[cfg(unix)]
    #[test]
    fn endings_are_typed_from_unix_statuses() {
        use std::os::unix::process::ExitStatusExt;
        let of = |raw| Ending::of(ExitStatus::from_raw(raw));
        assert_eq!(of(3 << 8), Ending::Exited(3));
        assert_eq!(of(libc::SIGABRT), Ending::Aborted);
        assert_eq!(of(libc::SIGXCPU), Ending::CpuTime);
        assert_eq!(of(libc::SIGXFSZ), Ending::FileSize);
        assert_eq!(of(libc::SIGSEGV), Ending::Crashed("signal SIGSEGV".into()));
        assert_eq!(Ending::Aborted.to_string(), "signal SIGABRT");
    }

    #[cfg(windows)]
    #[test]
    fn endings_are_typed_from_windows_exit_codes() {
        use std::os::windows::process::ExitStatusExt;
        let of = |raw: u32| Ending::of(ExitStatus::from_raw(raw));
        assert_eq!(of(3), Ending::Exited(3));
        assert_eq!(of(0xC000_0409), Ending::Aborted);
        assert!(
            matches!(of(0xC000_0005), Ending::Crashed(what) if what.contains("access violation"))
        );
    }

    /// A case's tree is ended whole: a grandchild in the background dies with it.
    #[cfg(unix)]
    #[test]
    fn killing_a_tree_ends_the_grandchildren_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pid_file = dir.path().join("grandchild");
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("sleep 30 & echo $! > {}; wait", pid_file.display()));
        let result = ResultChannel::new().expect("result channel");
        let limits = Limits {
            cpu_seconds: 10,
            file_size: 1 << 20,
            memory: 1 << 32,
            processes: 1024,
        };
        let mut child =
            spawn(command, sandbox::Confinement::NONE, &result, limits).expect("sh starts");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let grandchild = loop {
            if let Some(pid) = std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|text| text.trim().parse::<u32>().ok())
            {
                break pid;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no grandchild started"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        assert!(process_exists(grandchild));
        child.tree().kill();
        child.wait().expect("the child is reaped");
        // The grandchild is not ours to reap: it is gone once init (or we, as subreaper) has it.
        become_subreaper();
        // Only the grandchild is a stray here: other tests of this process have children too.
        kill_strays(&|pid| pid != grandchild);
        let gone_by = std::time::Instant::now() + Duration::from_secs(5);
        while process_exists(grandchild) && std::time::Instant::now() < gone_by {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            !process_exists(grandchild),
            "the grandchild outlived its tree"
        );
    }

    /// The case's limits and fd 3 are in place in the child.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_case_starts_with_its_limits_and_the_result_channel_on_fd_3() {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg("ulimit -t; ulimit -f; echo report >&3")
            .stdout(std::process::Stdio::piped());
        let mut result = ResultChannel::new().expect("result channel");
        let limits = Limits {
            cpu_seconds: 7,
            file_size: 512 * 1024,
            memory: 1 << 32,
            processes: 1024,
        };
        let child = spawn(command, sandbox::Confinement::NONE, &result, limits).expect("sh starts");
        let output = child.child.wait_with_output().expect("sh ends");
        let text = String::from_utf8_lossy(&output.stdout);
        // `ulimit -f` counts 512-byte blocks in POSIX sh (dash): 512 KiB is 1024 of them.
        assert_eq!(text.lines().collect::<Vec<_>>(), ["7", "1024"], "{text}");
        assert_eq!(result.read_all().expect("readable"), b"report\n");
    }
}
