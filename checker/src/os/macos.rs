//! What only macOS has: libproc's view of processes. macOS has no `/proc` and no child
//! subreaper.

/// Nothing to do: macOS cannot make a process the reaper of its orphans, so a process that
/// left its case's group (setsid) is adopted by launchd and not seen again.
pub fn become_subreaper() {}

/// Sleeps `limit`: the caller then looks whether child `pid` has ended (macOS would need a
/// kqueue for an earlier wake-up).
pub fn wait_exit(_pid: u32, limit: std::time::Duration) {
    std::thread::sleep(limit);
}

/// Child process ids of `pid`, from `proc_listchildpids`.
pub fn children(pid: i32) -> Vec<i32> {
    let mut pids = vec![0 as libc::pid_t; 1024];
    let size = (pids.len() * size_of::<libc::pid_t>()) as libc::c_int;
    // SAFETY: proc_listchildpids writes at most `size` bytes into the buffer we own.
    let filled = unsafe { libc::proc_listchildpids(pid, pids.as_mut_ptr().cast(), size) };
    if filled <= 0 {
        return Vec::new();
    }
    // It returns the number of pids on some releases and bytes on others: take what is set.
    pids.truncate((filled as usize).min(pids.len()));
    pids.retain(|&p| p > 0);
    pids
}

/// Whether process `pid` is stopped (`SSTOP`), from `proc_pidinfo(PROC_PIDTBSDINFO)`.
pub fn is_stopped(pid: i32) -> bool {
    // SAFETY: proc_bsdinfo is a plain C struct of integers and byte arrays, for which all-zero
    // bytes are a valid value.
    let mut info: libc::proc_bsdinfo = unsafe { std::mem::zeroed() };
    let size = size_of::<libc::proc_bsdinfo>() as libc::c_int;
    // SAFETY: proc_pidinfo writes at most `size` bytes into the struct we own.
    let filled =
        unsafe { libc::proc_pidinfo(pid, libc::PROC_PIDTBSDINFO, 0, (&raw mut info).cast(), size) };
    filled == size && info.pbi_status == libc::SSTOP
}

/// What RLIMIT_NPROC counts for a user: not read on macOS (no cheap count of a user's
/// processes), so no process limit is set there.
pub fn counted_by_nproc(_uid: u32) -> Option<u64> {
    None
}

/// Pending signals cannot be read for the whole process on macOS: none is assumed.
pub fn signal_pending(_signals: &[i32]) -> bool {
    false
}

/// `ru_maxrss` (bytes on macOS) in MiB.
pub fn max_rss_mib(max_rss: libc::c_long) -> f64 {
    max_rss as f64 / (1024.0 * 1024.0)
}

/// Not read on macOS (its per-process CPU time needs `proc_pid_rusage` of each process, and
/// children that ended are counted only once waited for): the case's own `RLIMIT_CPU` and its
/// real-time budget bound it instead.
pub fn tree_usage(
    _root: i32,
    _seen: &mut std::collections::HashSet<(u64, u64)>,
) -> Option<super::TreeUsage> {
    None
}

/// The machine's busy CPU time: not read on macOS (`host_processor_info` would give it), so
/// `checker bench` falls back to the load average there.
pub fn machine_cpu_seconds() -> Option<f64> {
    None
}

/// The 1-minute load average, from `getloadavg`.
pub fn load_average() -> Option<f64> {
    let mut loads = [0.0f64; 3];
    // SAFETY: getloadavg writes at most `nelem` (1) doubles into the array we own.
    let filled = unsafe { libc::getloadavg(loads.as_mut_ptr(), 1) };
    (filled >= 1).then_some(loads[0])
}
