//! What only Linux has: `/proc` (read by the runner's [`procfs`]), and a child subreaper.

use std::collections::HashSet;
use std::time::Duration;

use asynclings_runner::procfs;

use super::TreeUsage;

/// Makes this process the reaper of its orphaned descendants.
/// A memfd with mode 0600 ([`super::unnamed_file`]).
pub fn unnamed_file() -> std::io::Result<std::fs::File> {
    use rustix::fs::{MemfdFlags, Mode, fchmod, memfd_create};
    let fd = memfd_create("asynclings", MemfdFlags::CLOEXEC)?;
    fchmod(&fd, Mode::from_raw_mode(0o600))?;
    Ok(std::fs::File::from(fd))
}

/// A memfd as [`unnamed_file`] makes, sealed against shrinking (`F_SEAL_SHRINK`): what is
/// written to it can be added to, never cut.
pub fn unshrinkable_file() -> std::io::Result<std::fs::File> {
    use rustix::fs::{MemfdFlags, Mode, SealFlags, fchmod, fcntl_add_seals, memfd_create};
    let fd = memfd_create(
        "asynclings",
        MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING,
    )?;
    fchmod(&fd, Mode::from_raw_mode(0o600))?;
    fcntl_add_seals(&fd, SealFlags::SHRINK)?;
    Ok(std::fs::File::from(fd))
}

pub fn become_subreaper() {
    let _ = rustix::process::set_child_subreaper(rustix::process::Pid::from_raw(
        std::process::id() as i32,
    ));
}

/// Returns when child `pid` (not yet reaped, so the id is still its own) has ended or `limit`
/// has passed: a poll on its pidfd, which becomes readable when it exits. Where pidfds are
/// missing (kernels before 5.3) it sleeps `limit`.
pub fn wait_exit(pid: u32, limit: Duration) {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let pidfd = rustix::process::Pid::from_raw(pid as i32).and_then(|pid| {
        rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty()).ok()
    });
    let Some(pidfd) = pidfd else {
        std::thread::sleep(limit);
        return;
    };
    let timeout = Timespec {
        tv_sec: limit.as_secs() as _,
        tv_nsec: limit.subsec_nanos() as _,
    };
    let mut fds = [PollFd::new(&pidfd, PollFlags::IN)];
    // Interrupted (EINTR) or failed: the caller looks again, as after a timeout.
    let _ = poll(&mut fds, Some(&timeout));
}

/// Child process ids of `pid`, from `/proc/PID/task/*/children`.
pub fn children(pid: i32) -> Vec<i32> {
    procfs::children_of(&pid.to_string())
}

/// Whether process `pid` is stopped (state `T` or `t` in `/proc/PID/stat`).
pub fn is_stopped(pid: i32) -> bool {
    procfs::stat(&pid.to_string()).is_some_and(|stat| stat.state == "T" || stat.state == "t")
}

/// What RLIMIT_NPROC counts for user `uid` now: the threads of every one of its processes.
pub fn counted_by_nproc(uid: u32) -> Option<u64> {
    let uid = uid.to_string();
    let counted = procfs::pids()
        .into_iter()
        .filter_map(|pid| procfs::status(&pid.to_string()))
        .filter(|status| {
            procfs::status_field(status, "Uid")
                .and_then(|ids| ids.split_whitespace().next())
                .is_some_and(|real| real == uid)
        })
        .map(|status| {
            procfs::status_field(&status, "Threads")
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(1)
        })
        .sum();
    Some(counted)
}

/// Whether one of `signals` is pending for this process, not yet handled (`ShdPnd`).
pub fn signal_pending(signals: &[i32]) -> bool {
    let pending = procfs::status("self")
        .and_then(|status| u64::from_str_radix(procfs::status_field(&status, "ShdPnd")?, 16).ok())
        .unwrap_or(0);
    signals
        .iter()
        .any(|&signal| (1..=64).contains(&signal) && pending & (1 << (signal - 1)) != 0)
}

/// `ru_maxrss` (KiB on Linux) in MiB.
pub fn max_rss_mib(max_rss: libc::c_long) -> f64 {
    max_rss as f64 / 1024.0
}

/// What the process tree rooted at `root` uses, from `/proc`: its processes are `root` and
/// its descendants (the runner is a subreaper, so a process that left its group is still one).
/// `seen` holds the files already counted, and gets those counted here.
pub fn tree_usage(root: i32, seen: &mut HashSet<(u64, u64)>) -> Option<TreeUsage> {
    let ticks = rustix::param::clock_ticks_per_second().max(1);
    let mut usage = TreeUsage::default();
    let mut ticks_used = 0u64;
    let mut pids = vec![root];
    let mut index = 0;
    while let Some(&pid) = pids.get(index) {
        index += 1;
        // A bound keeps a fork bomb from holding the wait loop.
        if pids.len() < 100_000 {
            pids.extend(children(pid));
        }
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue; // ended since it was listed
        };
        // `pid (comm) state ...`: the name may hold spaces and parentheses, so from the last `)`.
        let Some((_, rest)) = text.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok());
        // utime, stime, and the same of its children that ended and were waited for.
        ticks_used += (14..=17).filter_map(field).sum::<u64>();
        let threads = field(20).unwrap_or(1);
        usage.tasks += threads;
        usage.running += if threads == 1 {
            u64::from(fields.first() == Some(&"R"))
        } else {
            running_threads(pid)
        };
        usage.unnamed_bytes += unnamed_open_files(pid, seen);
    }
    usage.cpu = Duration::from_secs_f64(ticks_used as f64 / ticks as f64);
    Some(usage)
}

/// Threads of process `pid` that are running or ready to (state `R`).
fn running_threads(pid: i32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("stat")).is_ok_and(|text| {
                text.rsplit_once(')')
                    .is_some_and(|(_, rest)| rest.trim_start().starts_with('R'))
            })
        })
        .count() as u64
}

/// Bytes allocated to regular files process `pid` holds open that no longer have a name
/// (deleted while open, or made unnamed): a folder's walk cannot see them.
fn unnamed_open_files(pid: i32, seen: &mut HashSet<(u64, u64)>) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    let mut bytes = 0;
    for fd in fds.flatten() {
        // Follows the descriptor's link to the open file itself.
        let Ok(meta) = std::fs::metadata(fd.path()) else {
            continue;
        };
        if meta.is_file() && meta.nlink() == 0 && seen.insert((meta.dev(), meta.ino())) {
            bytes += meta.blocks() * 512;
        }
    }
    bytes
}

/// Seconds of CPU time every core of the machine has spent busy since boot: the `cpu` line of
/// `/proc/stat` (user, nice, system, irq, softirq, steal; not idle or iowait), in `USER_HZ`
/// ticks of 1/100 s.
pub fn machine_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<f64> = text
        .lines()
        .find(|l| l.starts_with("cpu "))?
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let at = |i: usize| fields.get(i).copied().unwrap_or(0.0);
    // user nice system idle iowait irq softirq steal
    Some((at(0) + at(1) + at(2) + at(5) + at(6) + at(7)) / 100.0)
}

/// The 1-minute load average: the first field of `/proc/loadavg`.
pub fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Seek, Write};

    /// What the runner wrote stays: the file grows, and cutting it fails, also through a
    /// second open of it (`/proc/self/fd/N`, as code under test would reopen its fd 3).
    #[test]
    fn an_unshrinkable_file_grows_and_cannot_be_cut() {
        use std::os::fd::AsRawFd;
        let mut file = super::unshrinkable_file().unwrap();
        file.write_all(b"ASYNCLINGS-STARTED s\n").unwrap();
        assert!(file.set_len(0).is_err());
        let again = std::fs::OpenOptions::new()
            .write(true)
            .open(format!("/proc/self/fd/{}", file.as_raw_fd()))
            .unwrap();
        assert!(again.set_len(3).is_err());
        assert!(
            std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(format!("/proc/self/fd/{}", file.as_raw_fd()))
                .is_err()
        );
        file.write_all(b"more").unwrap();
        let mut text = String::new();
        file.rewind().unwrap();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text, "ASYNCLINGS-STARTED s\nmore");
    }
}
