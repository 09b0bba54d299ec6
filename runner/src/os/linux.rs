//! Linux: `/proc` for threads, children and thread states, `schedstat` for blocked time, the
//! child subreaper, glibc's allocator.

use crate::procfs;
use crate::protocol::{LeftProcess, ThreadState};

use super::unix;

pub fn guard_the_process() {
    unix::ignore_file_size_signal();
    // Failing leaves orphans to init: they are then not named, but the checker still kills
    // the case's process group.
    let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
}

pub fn unnamed_file() -> std::io::Result<std::fs::File> {
    use rustix::fs::{MemfdFlags, memfd_create};
    Ok(memfd_create("asynclings-stdout", MemfdFlags::CLOEXEC)?.into())
}

/// The system folders a dynamically linked program may still load from.
const LIBRARIES: &[&str] = &[
    "/lib",
    "/lib32",
    "/lib64",
    "/usr/lib",
    "/usr/lib32",
    "/usr/lib64",
    "/etc/ld.so.cache",
];

pub fn confine_call(scratch: &std::path::Path) -> Result<(), String> {
    use landlock::{
        ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, Ruleset, RulesetAttr,
    };
    let abi = ABI::V6;
    let read = AccessFs::from_read(abi);
    let all = AccessFs::from_all(abi);
    let file = AccessFs::from_file(abi);
    let error = |e: landlock::RulesetError| format!("landlock: {e}");
    let ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(all)
        .map_err(error)?
        .handle_access(AccessNet::from_all(abi))
        .map_err(error)?
        .create()
        .map_err(error)?;
    // The libraries stay readable for what glibc loads late (NSS modules, for one).
    let system = LIBRARIES.iter().map(|path| (*path, read)).chain([
        (
            "/dev/null",
            (read | AccessFs::WriteFile | AccessFs::Truncate) & file,
        ),
        ("/dev/urandom", read & file),
    ]);
    let rules = system
        .map(|(path, access)| (std::path::PathBuf::from(path), access))
        .chain([(scratch.to_path_buf(), all & !AccessFs::Execute)]);
    enforce(allow_paths(ruleset, rules)?)
}

/// The fixed part of a served case's Landlock domain, built before its case arrives.
pub struct ServedCaseRules(landlock::RulesetCreated);

pub fn served_case_rules() -> Result<ServedCaseRules, String> {
    use landlock::{ABI, Access, AccessFs, CompatLevel, Compatible, Ruleset, RulesetAttr, Scope};
    let abi = ABI::V6;
    let read = AccessFs::from_read(abi);
    let run = read | AccessFs::Execute;
    let error = |e: landlock::RulesetError| format!("landlock: {e}");
    let ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(abi))
        .map_err(error)?
        .scope(Scope::Signal | Scope::AbstractUnixSocket)
        .map_err(error)?
        .create()
        .map_err(error)?;
    // What a spawned case may reach besides its scratch folder (the checker's policy for a
    // case, `checker/src/os/sandbox_linux.rs`), so that a forked case reaches no more: its
    // runner and the system's libraries to run, `/proc` and the CPU list to read, `/dev/null`.
    let runner = std::env::current_exe().map_err(|e| format!("the runner's path: {e}"))?;
    let paths = LIBRARIES
        .iter()
        .map(|path| (std::path::PathBuf::from(path), run))
        .chain([
            (runner, run),
            ("/proc".into(), read),
            ("/sys/devices/system/cpu".into(), read),
            ("/dev/urandom".into(), read),
            (
                "/dev/null".into(),
                read | AccessFs::WriteFile | AccessFs::Truncate,
            ),
        ]);
    allow_paths(ruleset, paths).map(ServedCaseRules)
}

pub fn confine_served_case(
    rules: ServedCaseRules,
    scratch: &std::os::fd::OwnedFd,
) -> Result<(), String> {
    use landlock::{ABI, Access, AccessFs, PathBeneath, RulesetCreatedAttr};
    let ruleset = rules
        .0
        .add_rule(PathBeneath::new(scratch, AccessFs::from_all(ABI::V6)))
        .map_err(|e| format!("landlock: {e}"))?;
    enforce(ruleset)
}

/// `ruleset` with one rule per path of `rules` that this system has, allowing its access
/// (only the file rights of it, for a path that is not a folder).
fn allow_paths(
    mut ruleset: landlock::RulesetCreated,
    rules: impl IntoIterator<Item = (std::path::PathBuf, landlock::BitFlags<landlock::AccessFs>)>,
) -> Result<landlock::RulesetCreated, String> {
    use landlock::{ABI, AccessFs, PathBeneath, PathFd, RulesetCreatedAttr};
    let file = AccessFs::from_file(ABI::V6);
    for (path, mut access) in rules {
        let Ok(fd) = PathFd::new(&path) else {
            continue; // a path this system does not have
        };
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            access &= file;
        }
        ruleset = ruleset
            .add_rule(PathBeneath::new(fd, access))
            .map_err(|e| format!("landlock: {e}"))?;
    }
    Ok(ruleset)
}

/// Restricts this thread (and what it starts) to `ruleset`; an error where the kernel does
/// not enforce it at all.
fn enforce(ruleset: landlock::RulesetCreated) -> Result<(), String> {
    use landlock::RulesetStatus;
    match ruleset
        .restrict_self()
        .map_err(|e| format!("landlock: {e}"))?
        .ruleset
    {
        RulesetStatus::NotEnforced => Err("landlock: not enforced by this kernel".into()),
        _ => Ok(()),
    }
}

pub fn tune_allocator() {
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only tunes the allocator; called before the code under test runs.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
    }
}

pub fn thread_count() -> u32 {
    procfs::status("self")
        .and_then(|status| procfs::status_field(&status, "Threads")?.parse().ok())
        .unwrap_or(0)
}

pub fn children_of(pid: &str) -> Vec<i32> {
    procfs::children_of(pid)
}

pub fn descendants() -> Vec<LeftProcess> {
    let own_group = unix::own_process_group();
    let mut found = Vec::new();
    let mut queue = children_of("self");
    // A process tree is finite, but pids can be reused while we walk: bound the walk.
    while let Some(pid) = queue.pop() {
        if found.len() >= 10_000 {
            break;
        }
        let Some(stat) = procfs::stat(&pid.to_string()) else {
            continue;
        };
        queue.extend(children_of(&pid.to_string()));
        if stat.state == "Z" || stat.state == "X" {
            continue;
        }
        found.push(LeftProcess {
            pid,
            name: stat.name,
            escaped: stat.group != own_group,
        });
    }
    found.sort_by_key(|p| p.pid);
    found
}

/// A thread of this process, by its thread id.
#[derive(Clone)]
pub struct RuntimeThread {
    tid: i32,
}

impl RuntimeThread {
    pub fn current() -> Option<Self> {
        Some(Self {
            tid: rustix::thread::gettid().as_raw_nonzero().get(),
        })
    }

    pub fn state(&self) -> Option<ThreadState> {
        let tid = self.tid;
        if procfs::thread_stat(tid)?.state == "R" {
            return Some(ThreadState::Running);
        }
        // The system call it sleeps in: its number is the first word (reading it needs the
        // same rights as ptrace on ourselves, which a process has).
        let syscall = std::fs::read_to_string(format!("/proc/self/task/{tid}/syscall")).ok();
        let number: Option<i64> = syscall
            .as_deref()
            .and_then(|s| s.split_whitespace().next())
            .and_then(|n| n.parse().ok());
        Some(match number {
            Some(n) if is_sleep_syscall(n) => ThreadState::Sleeping,
            Some(n) if n == libc::SYS_futex => ThreadState::Locked,
            _ => ThreadState::Blocked,
        })
    }
}

fn is_sleep_syscall(number: i64) -> bool {
    #[cfg(target_arch = "x86_64")]
    if number == libc::SYS_nanosleep {
        return true;
    }
    number == libc::SYS_clock_nanosleep
}

/// Blocked time from the measured thread's own scheduler statistics: its
/// `/proc/thread-self/schedstat`, opened when it is made (on the measured thread, before the
/// call's thread is confined, after which `/proc` can no longer be opened) and read again at
/// each start and stop.
pub struct BlockedTime {
    schedstat: Option<std::fs::File>,
}

/// The thread's scheduled time (on a CPU + waiting for one) at the start, seconds.
pub struct BlockedStart(f64);

impl BlockedTime {
    /// Must be called on the measured thread.
    pub fn of_current_thread() -> Self {
        Self {
            schedstat: std::fs::File::open("/proc/thread-self/schedstat").ok(),
        }
    }

    pub fn start(&self) -> Option<BlockedStart> {
        self.scheduled_time().map(BlockedStart)
    }

    /// Real time minus the time the thread was scheduled (on a CPU or waiting for one).
    pub fn stop(&self, start: BlockedStart, real: f64) -> Option<f64> {
        self.scheduled_time()
            .map(|after| (real - (after - start.0)).max(0.0))
    }

    /// Seconds the thread has spent on a CPU plus waiting for one, since it started: the
    /// first two fields of its schedstat (nanoseconds). Whatever else of its real time passed
    /// was spent blocked in the kernel. `None` where the file is missing (a kernel without
    /// scheduler statistics).
    fn scheduled_time(&self) -> Option<f64> {
        let file = self.schedstat.as_ref()?;
        let mut buffer = [0u8; 256];
        let read = super::read_at(file, &mut buffer, 0).ok()?;
        parse_schedstat(std::str::from_utf8(&buffer[..read]).ok()?)
    }
}

/// `on_cpu + waiting` seconds from the text of a schedstat file.
fn parse_schedstat(text: &str) -> Option<f64> {
    let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
    let on_cpu = fields.next()??;
    let waiting = fields.next()??;
    Some(on_cpu.saturating_add(waiting) as f64 / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CPU time of the calling thread, seconds (load does not inflate it, unlike wall time).
    fn thread_cpu() -> f64 {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec we own.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
        now.tv_sec as f64 + now.tv_nsec as f64 / 1e9
    }

    #[test]
    fn a_confined_call_thread_cannot_open_proc_or_execute_but_keeps_its_scratch() {
        let scratch = tempfile::tempdir().expect("scratch");
        let dir = scratch.path().to_path_buf();
        let outcome = std::thread::spawn(move || {
            let before = thread_cpu();
            let confined = confine_call(&dir);
            let cost = thread_cpu() - before;
            let proc_open = std::fs::read("/proc/self/status");
            let exec = std::process::Command::new("/bin/true").status();
            let file = dir.join("written-here");
            let own = std::fs::write(&file, b"ok").and_then(|()| std::fs::read(&file));
            (confined, cost, proc_open.is_err(), exec.is_err(), own.ok())
        })
        .join()
        .expect("thread");
        let (confined, cost, proc_denied, exec_denied, own) = outcome;
        confined.expect("Landlock is on this kernel (CI's too)");
        assert!(proc_denied, "/proc must be closed to the call's thread");
        assert!(exec_denied, "no program may be executed");
        assert_eq!(
            own.as_deref(),
            Some(&b"ok"[..]),
            "the scratch folder stays open"
        );
        // This thread (the test's) is not confined: Landlock restricts the calling thread.
        assert!(std::fs::read("/proc/self/status").is_ok());
        eprintln!("confine_call: {:.0} us of CPU", cost * 1e6);
    }

    /// Confines a new thread as a served case with `rules` and `scratch`, then tries to write
    /// in `scratch` and in `other`, and to read `/proc`: (confined, own write, other write,
    /// /proc read).
    fn as_served_case(
        rules: Result<ServedCaseRules, String>,
        scratch: &std::path::Path,
        other: &std::path::Path,
    ) -> (Result<(), String>, bool, bool, bool) {
        let (scratch, other) = (scratch.to_path_buf(), other.to_path_buf());
        std::thread::spawn(move || {
            let fd = std::os::fd::OwnedFd::from(std::fs::File::open(&scratch).expect("scratch"));
            let confined = rules.and_then(|rules| confine_served_case(rules, &fd));
            let write = |dir: &std::path::Path| std::fs::write(dir.join("w"), b"ok").is_ok();
            let proc_read = std::fs::read("/proc/self/status").is_ok();
            (confined, write(&scratch), write(&other), proc_read)
        })
        .join()
        .expect("thread")
    }

    #[test]
    fn a_served_case_writes_its_own_scratch_only_and_its_rules_serve_one_case() {
        let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        // Built before the case came, as a server does between two cases.
        let (confined, own, other, proc_read) =
            as_served_case(served_case_rules(), first.path(), second.path());
        confined.expect("Landlock is on this kernel (CI's too)");
        assert!(own, "a served case writes its scratch folder");
        assert!(!other, "and no other case's");
        assert!(proc_read, "it reads /proc, as a spawned case does");
        // The next case's rules are built afresh: the first case's scratch is not in them.
        let (confined, own, other, _) =
            as_served_case(served_case_rules(), second.path(), first.path());
        confined.expect("confined");
        assert!(
            own && !other,
            "the second case reaches its own scratch only"
        );
    }

    #[test]
    fn this_process_has_a_thread() {
        assert!(thread_count() >= 1);
    }

    #[test]
    fn a_running_child_is_found_and_a_reaped_one_is_not() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep starts");
        let pid = child.id() as i32;
        let found = descendants();
        let left = found
            .iter()
            .find(|p| p.pid == pid)
            .expect("the child is seen");
        assert_eq!(left.name, "sleep");
        assert!(!left.escaped, "it stayed in our process group");
        child.kill().expect("kill");
        child.wait().expect("wait");
        assert!(descendants().iter().all(|p| p.pid != pid));
    }

    #[test]
    fn schedstat_adds_time_on_a_cpu_and_time_waiting_for_one() {
        assert_eq!(parse_schedstat("1500000000 500000000 42\n"), Some(2.0));
        assert_eq!(parse_schedstat(""), None);
        assert_eq!(parse_schedstat("12 x 3"), None);
    }

    #[test]
    fn a_thread_sleep_is_time_outside_the_scheduler_and_a_cpu_loop_is_not() {
        let measured = BlockedTime::of_current_thread();
        let scheduled_time = || measured.scheduled_time();
        let Some(before) = scheduled_time() else {
            return; // a kernel without scheduler statistics
        };
        let started = std::time::Instant::now();
        std::thread::sleep(std::time::Duration::from_millis(200));
        let real = started.elapsed().as_secs_f64();
        let blocked = real - (scheduled_time().expect("still readable") - before);
        assert!(blocked > 0.15, "a 200 ms sleep counted {blocked} s blocked");

        let before = scheduled_time().expect("readable");
        let started = std::time::Instant::now();
        let mut x = 0u64;
        while started.elapsed() < std::time::Duration::from_millis(200) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let real = started.elapsed().as_secs_f64();
        let blocked = real - (scheduled_time().expect("readable") - before);
        assert!(blocked < 0.05, "a CPU loop counted {blocked} s blocked");
    }

    #[test]
    fn a_sleeping_thread_is_seen_sleeping() {
        let (tx, rx) = std::sync::mpsc::channel();
        let sleeper = std::thread::spawn(move || {
            let _ = tx.send(RuntimeThread::current());
            std::thread::sleep(std::time::Duration::from_millis(300));
        });
        let thread = rx.recv().expect("sent").expect("named");
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert_eq!(thread.state(), Some(ThreadState::Sleeping));
        sleeper.join().expect("joined");
    }
}
