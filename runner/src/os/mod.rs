//! Everything the runner asks of the operating system, behind one small interface.
//!
//! The rest of the crate is plain Rust: no `libc`, no `windows-sys`, no `std::os::*` and no
//! `#[cfg(target_os)]` outside this module (as nextest keeps its OS code in `os`). Each item
//! here says what it does on every system; the code is in one file per family:
//!
//! | file | systems | what it holds |
//! |---|---|---|
//! | `unix.rs` | Linux, macOS (any Unix) | fd 3 result channel, `dup2` capture, signals, `getrusage` |
//! | `linux.rs` | Linux | `/proc` threads and children, thread state, `schedstat`, subreaper |
//! | `macos.rs` | macOS | `libproc` threads and children, mach thread state, sampled blocked time |
//! | `windows.rs` (and `windows/`) | Windows | result file by path, `SetStdHandle`; Toolhelp32 (`processes.rs`), cycle counters (`blocked.rs`) |
//! | `sampling.rs` | macOS, Windows (and tests) | the blocked-time sampler and its pure accounting |
//!
//! Linux behaves exactly as before this module existed.

use std::fs::File;
use std::io;

use crate::protocol::{LeftProcess, ThreadState};

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(any(test, target_os = "macos", windows))]
mod sampling;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(target_os = "linux")]
use linux as family;
#[cfg(target_os = "macos")]
use macos as family;
#[cfg(unix)]
use unix as channel;
#[cfg(windows)]
use windows as family;
#[cfg(windows)]
use windows as channel;

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
compile_error!("the asynclings runner supports Linux, macOS and Windows");

/// The file the report goes to: the checker's, opened before the code under test runs.
///
/// - **Unix:** the file the checker opened as fd 3 ([`RESULT_FD`](crate::protocol::RESULT_FD)).
///   Its identity is its (device, inode), from `fstat`.
/// - **Windows:** the file named by [`RESULT_PATH_ENV`](crate::protocol::RESULT_PATH_ENV),
///   an empty file the checker created. It is opened for writing and the variable is removed
///   from the environment, so the code under test does not learn the path from it. Its
///   identity is (volume serial number, file index), from `GetFileInformationByHandle`.
///
/// The code under test runs in the same process and can close the channel (fd 3, or the
/// handle's value) and open a file of its own in its place. [`ResultChannel::still_ours`]
/// catches that: the report is then not written at all, so it cannot land in the student's
/// file (protocol::CHANNEL_LOST).
pub struct ResultChannel {
    inner: channel::ResultChannel,
}

impl ResultChannel {
    /// Takes the channel the checker passed; an error says what is missing.
    ///
    /// Call it once, while the process is still single-threaded (it edits the environment on
    /// Windows).
    pub fn open() -> Result<Self, String> {
        channel::ResultChannel::open().map(|inner| Self { inner })
    }

    /// Whether the channel is still open on the very file the checker handed over.
    pub fn still_ours(&self) -> bool {
        self.inner.still_ours()
    }

    /// Writes the whole report and flushes it.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.inner.write(bytes)
    }
}

/// Points the process's standard output at `file`, for everything printed from now on
/// (`println!`, and child processes started later).
///
/// - **Unix:** `dup2(file, 1)`.
/// - **Windows:** `SetStdHandle(STD_OUTPUT_HANDLE, file)`. Rust's `Stdout` asks for the
///   standard handle on every write (`GetStdHandle`), so `println!` follows at once; the file
///   must stay open, which the capture makes sure of by keeping it.
pub fn redirect_stdout(file: &File) -> io::Result<()> {
    channel::redirect_stdout(file)
}

/// A new file without a name, for the captured output: a memfd on Linux (a file in memory,
/// counted toward the case's disk budget among its open files that have no name, and held to
/// `RLIMIT_FSIZE` like any file), an unlinked file of the temporary folder elsewhere.
///
/// On Linux the temporary folder is the case's scratch folder, often on ext4, where creating
/// and freeing an inode per case was a tenth of a case's CPU time (ext4 searches its inode
/// bitmap past inodes freed recently: `recently_deleted`).
pub fn unnamed_file() -> io::Result<File> {
    family::unnamed_file()
}

/// Reads up to `buf.len()` bytes of `file` from `offset`, for the captured output.
///
/// - **Unix:** `pread` (`FileExt::read_at`), which leaves the file position alone.
/// - **Windows:** `FileExt::seek_read`, which moves the file position: harmless, as it is
///   only called when the case has ended.
pub fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    channel::read_at(file, buf, offset)
}

/// The length of `file` in bytes, for the captured output: asked on every park of the
/// runtime, so it must be cheap.
///
/// - **Unix:** `fstat` (`File::metadata`).
/// - **Windows:** `GetFileSizeEx`. `File::metadata` asks for everything about the file
///   (`GetFileInformationByHandle` and more): about a microsecond on Windows, but 380 µs under
///   Wine, where every park then cost that much (a `spawn_blocking` of 2 s on the virtual clock,
///   pumped a tick at a time, took 2 s of real time).
///
/// # Errors
/// The OS cannot say (a handle closed by the code under test).
pub fn file_len(file: &File) -> io::Result<u64> {
    channel::file_len(file)
}

/// Hides the value of environment variable `name` (the secret) from the code under test,
/// beyond what `std::env::remove_var` does. Call it before removing the variable, while the
/// process is single-threaded.
///
/// - **Unix:** overwrites the value's bytes in the environment block the process started
///   with, which `/proc/self/environ` (Linux) and `ps -E` (macOS) show even after
///   `remove_var`.
/// - **Windows:** there is no file that shows a process its start-up environment; the block
///   lives in the process's own memory (the PEB), where reading it is the same as scanning
///   the heap for the secret, which no runner can prevent (docs/security.md). Still, the value
///   is set to zeros of the same length first, so that the block no longer holds it in the
///   likely case that Windows edits the block in place.
pub fn hide_secret(name: &str) {
    channel::hide_secret(name);
}

/// Like [`hide_secret`], for the bytes `range` of the variable's value only (zeros in their
/// place, the rest left as it is).
pub fn hide_in_env(name: &str, range: std::ops::Range<usize>) {
    channel::hide_in_env(name, range);
}

/// Settings of this process that must be in place before the code under test runs.
///
/// - **Unix:** SIGXFSZ is ignored: past the file-size limit a write fails (EFBIG) instead of
///   killing the process without a report, so printing too much becomes a panic in
///   `println!`, reported with its output.
/// - **Linux:** the process becomes a child subreaper (`PR_SET_CHILD_SUBREAPER`): orphaned
///   descendants come back to it, so the report names those still running, even those that
///   left the case's process group. (macOS has no subreaper: an orphan goes to launchd and is
///   no longer seen.)
/// - **Windows:** there is no SIGXFSZ (and no file-size limit to raise it: Windows has none,
///   so only the case's time bounds its output; docs/platforms.md) and no
///   subreaper (the Job Object holds every descendant, escaped or not). The error mode is set
///   to `SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX`, so a crash ends the process at once
///   instead of opening a Windows Error Reporting dialog that would hold it until its time
///   runs out.
pub fn guard_the_process() {
    family::guard_the_process();
}

/// Confines the calling thread (the one about to run the code under test) further than its
/// process, for the rest of its life and every thread it starts; `Err` says why it could not.
/// Called only when the case's process is itself confined (`CaseRequest::confine_call`).
///
/// - **Linux:** a second Landlock layer on this thread alone (Landlock restricts the calling
///   thread and what it starts): no file but `scratch` (the case's scratch folder, its
///   working directory: read, write, create, delete, but not execute), `/dev/null`, `/dev/urandom` and
///   the system's libraries (read); so no `/proc` (no other process's command line, no
///   `/proc/self/fd`), no program to execute, and no TCP. The runner's other threads (the
///   watchdog reading `/proc/self/task`, the main thread writing the report and listing
///   descendants) keep the process's first layer.
/// - **macOS, Windows:** nothing (no sandbox there: docs/security.md).
pub fn confine_call(scratch: &std::path::Path) -> Result<(), String> {
    family::confine_call(scratch)
}

/// The fixed part of a served case's Landlock domain (Linux): what a spawned case reaches
/// besides its scratch folder, namely its runner and the system's libraries (read and
/// execute), `/proc`, `/dev/urandom` and the CPU list (read) and `/dev/null`; and the scopes by
/// which no signal or abstract UNIX socket reaches a process outside the domain (the server, an
/// earlier case's leftovers). A case server builds it before its next case arrives, while the
/// checker grades the last one, so that the case only adds its scratch folder. One value is
/// used by one case: the child that adds its rule changes the kernel's ruleset, which the
/// server then drops. `Err` says why it could not be built.
#[cfg(target_os = "linux")]
pub use family::ServedCaseRules;

/// Builds a [`ServedCaseRules`]; `Err` says why it could not.
#[cfg(target_os = "linux")]
pub fn served_case_rules() -> Result<ServedCaseRules, String> {
    family::served_case_rules()
}

/// Confines a case forked by a case server (Linux) to a Landlock domain of its own inside the
/// server's: `rules` (built before the case came) and `scratch` (a descriptor of its folder:
/// everything), no other case's scratch folder. `Err` says why it could not.
#[cfg(target_os = "linux")]
pub fn confine_served_case(
    rules: ServedCaseRules,
    scratch: &std::os::fd::OwnedFd,
) -> Result<(), String> {
    family::confine_served_case(rules, scratch)
}

/// Tunes the allocator for the cases' pattern (a million small frees, then one large
/// allocation).
///
/// - **Linux with glibc:** turns off fastbins (`mallopt(M_MXFAST, 0)`). A case that frees a
///   million small task allocations leaves them in fastbins, and the first large allocation
///   after it (the report) consolidates them all: 150 ms at `wait_n(10^6)`, more than
///   serialising the report. Without fastbins, frees coalesce as they happen and the case
///   itself runs no slower (measured: docs/performance.md).
/// - **Elsewhere** (musl, macOS, Windows): nothing; their allocators have no such knob.
pub fn tune_allocator() {
    family::tune_allocator();
}

/// Ends the process at once with `code`: no destructors, no exit handlers, no waiting for
/// other threads (a stuck blocking task must not hold the exit).
///
/// - **Unix:** `_exit`.
/// - **Windows:** `TerminateProcess` on the current process, not `ExitProcess`: `ExitProcess`
///   runs every DLL's detach routine and the C runtime's exit handlers, and first takes the
///   loader lock, which a thread of the code under test may hold forever; `TerminateProcess`
///   does none of that. Files written with `WriteFile` (the report) are already in the
///   system's hands and are kept.
pub fn exit_now(code: i32) -> ! {
    channel::exit_now(code)
}

/// CPU time (user + system) this process has used, in seconds.
///
/// - **Unix:** `getrusage(RUSAGE_SELF)`.
/// - **Windows:** `GetProcessTimes` (kernel + user).
pub fn cpu_seconds() -> f64 {
    channel::cpu_seconds()
}

/// OS threads of this process now (0 when the system does not say).
///
/// - **Linux:** `Threads:` of `/proc/self/status`.
/// - **macOS:** `pti_threadnum` of `proc_pidinfo(PROC_PIDTASKINFO)`.
/// - **Windows:** threads of this process in a Toolhelp32 thread snapshot.
pub fn thread_count() -> u32 {
    family::thread_count()
}

/// Child process ids of process `pid` (`"self"` or a number); empty when it is gone or the
/// system does not say. The checker walks its own cases' trees with it too.
///
/// - **Linux:** `/proc/PID/task/*/children` (every thread's children).
/// - **macOS:** `proc_listchildpids`.
/// - **Windows:** processes of a Toolhelp32 snapshot whose parent is `pid` and that were
///   created after it (a parent id can be a recycled number).
pub fn children_of(pid: &str) -> Vec<i32> {
    family::children_of(pid)
}

/// Every live descendant of this process (zombies, already dead, left out), sorted by pid.
///
/// - **Linux:** a walk of `/proc` children; the subreaper makes it find orphans too.
///   `escaped`: in another process group than ours (setsid, a double fork).
/// - **macOS:** a walk of `proc_listchildpids`, state and group from `proc_pidinfo`. Without
///   a subreaper, an orphan (a double fork's grandchild) is not found.
/// - **Windows:** a walk of a Toolhelp32 process snapshot by parent id. A process cannot leave
///   the checker's Job Object, and the checker ends the job with the case, so there is no
///   escaping: `escaped` is always false.
pub fn descendants() -> Vec<LeftProcess> {
    family::descendants()
}

/// The thread the runtime runs on, as another thread (the watchdog) can look at it.
#[derive(Clone)]
pub struct RuntimeThread {
    inner: family::RuntimeThread,
}

impl RuntimeThread {
    /// The calling thread; `None` when it cannot be named.
    ///
    /// - **Linux:** its thread id (`gettid`).
    /// - **macOS:** its mach port (`pthread_mach_thread_np`).
    /// - **Windows:** a handle from `OpenThread(THREAD_QUERY_LIMITED_INFORMATION)`.
    pub fn current() -> Option<Self> {
        family::RuntimeThread::current().map(|inner| Self { inner })
    }

    /// What the thread is doing now; `None` when the system does not say.
    ///
    /// - **Linux:** `/proc/self/task/TID/stat`: `R` is [`ThreadState::Running`]; asleep, the
    ///   system call it waits in (`/proc/.../syscall`) tells `nanosleep`/`clock_nanosleep`
    ///   ([`Sleeping`](ThreadState::Sleeping)) and `futex` ([`Locked`](ThreadState::Locked))
    ///   from the rest ([`Blocked`](ThreadState::Blocked)).
    /// - **macOS:** the run state of `thread_info(THREAD_BASIC_INFO)`: running (on a CPU or
    ///   runnable) is `Running`; waiting (interruptibly or not) is
    ///   [`Waiting`](ThreadState::Waiting), as mach does not say what it waits for; stopped or
    ///   halted is `None`.
    /// - **Windows:** two readings of `QueryThreadCycleTime` 50 ms apart: cycles spent
    ///   in between is `Running`, none is `Waiting` (Windows does not say what a thread waits
    ///   in). Without a cycle counter (Wine), the thread's CPU time over 200 ms: a third of it
    ///   or more is `Running`. This takes 50 or 200 ms, which the watchdog spends only when
    ///   it is ending the case.
    pub fn state(&self) -> Option<ThreadState> {
        self.inner.state()
    }
}

/// Measures how long one thread (the runtime's) spends blocked in the kernel during each call:
/// [`Run::blocked`](crate::protocol::Run::blocked), which names `std::thread::sleep` (or any
/// blocking call) inside async code.
///
/// The rule every system keeps: **time waiting for a CPU is never counted**. A correct case on
/// a machine whose every core is busy with other work must read ~0, or it would be failed
/// (over 100 ms is a failure). So "real time minus CPU time" is not used anywhere.
///
/// - **Linux:** `/proc/thread-self/schedstat` gives the thread's time on a CPU and its time
///   runnable but waiting for one; real time minus both is time blocked. Exact, and free.
/// - **macOS:** no such counter, so a sampler thread looks at the runtime thread's mach run
///   state every millisecond while a call runs: mach reports a runnable thread waiting for a
///   CPU as *running*, so only intervals where the thread was *waiting* at both ends count.
/// - **Windows:** a sampler thread reads the thread's cycle counter (`QueryThreadCycleTime`)
///   and the system's idle time (`GetSystemTimes`) every millisecond. A stretch during which
///   the thread spent no cycles was either blocked or waiting for a CPU; it counts only if the
///   CPUs were idle for at least half of it in total, because Windows never leaves a runnable
///   thread waiting while a CPU idles. Under full load the idle time stands still and nothing
///   is counted; on an idle machine a sleep is counted in full.
///   Without a cycle counter (Wine has no `QueryThreadCycleTime`), only tick-granular CPU
///   and idle times remain, and a sound lower bound is counted instead: while the thread is
///   queued every CPU is busy, so blocked >= idle/CPUs - CPU time, per 250 ms window, less
///   two ticks of slack, and only over spans where the thread ran for at most one tick (so
///   that Wine's many short waits on `wineserver` inside a busy call are not counted). It
///   never counts waiting for a CPU, but it undercounts: under partial load (with one of two
///   CPUs busy elsewhere, a sleep reads about half its length), and a sleep shorter than a
///   window between busy spells may read nothing.
///
/// The sampler costs a few microseconds per millisecond while a call runs, and waits on a
/// condition variable (no CPU at all) between calls. It is started by [`BlockedTime::of_current_thread`],
/// so create that before counting the runner's own threads.
pub struct BlockedTime {
    inner: family::BlockedTime,
}

/// Where a measurement of [`BlockedTime`] started.
pub struct BlockedStart {
    inner: family::BlockedStart,
}

impl BlockedTime {
    /// Prepares to measure the calling thread (on macOS and Windows, starts the sampler).
    pub fn of_current_thread() -> Self {
        Self {
            inner: family::BlockedTime::of_current_thread(),
        }
    }

    /// Starts measuring one call; `None` when the system cannot say.
    pub fn start(&self) -> Option<BlockedStart> {
        self.inner.start().map(|inner| BlockedStart { inner })
    }

    /// Seconds the thread was blocked since `start`; `real` is the call's real time, seconds.
    pub fn stop(&self, start: BlockedStart, real: f64) -> Option<f64> {
        self.inner.stop(start.inner, real)
    }
}

/// Fills `dest` with the operating system's random bytes: the source of every draw of a
/// process that is not running a seeded case (the checker's per-run secrets, above all).
///
/// - **Unix:** reads `/dev/urandom` (Linux and macOS: never blocks once the system has booted).
/// - **Windows:** `BCryptGenRandom` with the system's preferred generator.
pub fn os_random(dest: &mut [u8]) -> io::Result<()> {
    channel::os_random(dest)
}
