//! What only Linux has: `/proc` (read by the runner's [`procfs`]), and a child subreaper.

use asynclings_runner::procfs;

/// Makes this process the reaper of its orphaned descendants.
pub fn become_subreaper() {
    let _ = rustix::process::set_child_subreaper(rustix::process::Pid::from_raw(
        std::process::id() as i32,
    ));
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
