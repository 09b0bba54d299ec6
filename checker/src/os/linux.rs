//! What only Linux has: `/proc`, and a child subreaper.

/// Makes this process the reaper of its orphaned descendants.
pub fn become_subreaper() {
    let _ = rustix::process::set_child_subreaper(rustix::process::Pid::from_raw(
        std::process::id() as i32,
    ));
}

/// Child process ids of `pid`, from `/proc/PID/task/*/children` (the runner's one reader).
pub fn children(pid: i32) -> Vec<i32> {
    asynclings_runner::children_of(&pid.to_string())
}

/// Whether process `pid` is stopped (state `T` or `t` in `/proc/PID/stat`).
pub fn is_stopped(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // `pid (comm) state ...`: comm may hold spaces and parentheses.
        stat.rfind(')')
            .and_then(|close| stat[close + 1..].split_whitespace().next())
            .is_some_and(|state| state == "T" || state == "t")
    })
}

/// What RLIMIT_NPROC counts for user `uid` now: the threads of every one of its processes.
pub fn counted_by_nproc(uid: u32) -> Option<u64> {
    let processes = std::fs::read_dir("/proc").ok()?;
    let field = |status: &str, name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    Some(
        processes
            .flatten()
            .filter_map(|p| std::fs::read_to_string(p.path().join("status")).ok())
            .filter(|status| {
                field(status, "Uid:")
                    .and_then(|ids| ids.split_whitespace().next().map(str::to_string))
                    .is_some_and(|real| real == uid.to_string())
            })
            .map(|status| {
                field(&status, "Threads:")
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(1)
            })
            .sum(),
    )
}

/// Whether a stop signal is pending for this process, not yet handled (`ShdPnd`).
pub fn stop_signal_pending() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    let pending = status
        .lines()
        .find_map(|l| l.strip_prefix("ShdPnd:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    (1..=64).any(|signal| {
        pending & (1 << (signal - 1)) != 0 && super::unix::interrupts::is_stop_signal(signal)
    })
}

/// `ru_maxrss` (KiB on Linux) in MiB.
pub fn max_rss_mib(max_rss: libc::c_long) -> f64 {
    max_rss as f64 / 1024.0
}
