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

/// Blocked time from the calling thread's own scheduler statistics: nothing to prepare.
pub struct BlockedTime;

/// The thread's scheduled time (on a CPU + waiting for one) at the start, seconds.
pub struct BlockedStart(f64);

impl BlockedTime {
    pub fn of_current_thread() -> Self {
        Self
    }

    /// Must be called on the measured thread (it reads `/proc/thread-self`).
    pub fn start(&self) -> Option<BlockedStart> {
        scheduled_time().map(BlockedStart)
    }

    /// Real time minus the time the thread was scheduled (on a CPU or waiting for one).
    /// Must be called on the measured thread.
    pub fn stop(&self, start: BlockedStart, real: f64) -> Option<f64> {
        scheduled_time().map(|after| (real - (after - start.0)).max(0.0))
    }
}

/// Seconds this thread has spent on a CPU plus waiting for one, since it started: the first
/// two fields of `/proc/thread-self/schedstat` (nanoseconds). Whatever else of its real time
/// passed was spent blocked in the kernel. `None` where the file is missing (a kernel without
/// scheduler statistics).
fn scheduled_time() -> Option<f64> {
    parse_schedstat(&std::fs::read_to_string("/proc/thread-self/schedstat").ok()?)
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
