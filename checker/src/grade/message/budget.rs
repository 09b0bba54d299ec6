//! Wording of a case the checker ended for going over its budget (disk, files, folders, CPU,
//! threads), and of its scratch folder left behind.

use super::OS_THREADS_LEFT;
use crate::supervise::{self, Exceeded};
use crate::text::numbers::secs;

/// `n` bytes in words (`64 MiB`).
pub fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= 1024 * MIB && n.is_multiple_of(1024 * MIB) {
        format!("{} GiB", n / (1024 * MIB))
    } else if n >= MIB {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// The message of a case the checker ended, after `real` seconds, for going over a budget.
pub fn ended_over_budget(real: f64, what: &Exceeded) -> String {
    format!(
        "ended after {} of real time: it {}",
        secs(real),
        over_budget(what)
    )
}

/// What a case the checker ended went over.
pub fn over_budget(what: &Exceeded) -> String {
    match what {
        Exceeded::Disk { bytes: used } => format!(
            "used more disk than a case may: {} or more in its folder and open files (the limit is {})",
            bytes(*used),
            bytes(supervise::DISK_BUDGET)
        ),
        Exceeded::Entries { count } => format!(
            "created more files and folders than a case may: {count} or more (the limit is {})",
            supervise::ENTRY_BUDGET
        ),
        Exceeded::Depth { depth } => format!(
            "nested folders {depth} deep or more (the limit is {})",
            supervise::DEPTH_BUDGET
        ),
        Exceeded::Unmeasurable { why } => format!(
            "made its folder impossible to measure ({why}): the checker must see how much disk a case holds"
        ),
        Exceeded::Cpu { cpu, real, running } => format!(
            "used more than one core: {running} threads running at once, {} of CPU time in {} of real time",
            secs(*cpu),
            secs(*real)
        ),
        Exceeded::Tasks { count } => format!(
            "started {count} OS threads at once (the limit is {})",
            supervise::TASK_BUDGET
        ),
    }
}

/// What to do instead of going over `what`.
pub fn over_budget_advice(what: &Exceeded) -> String {
    match what {
        Exceeded::Disk { .. }
        | Exceeded::Entries { .. }
        | Exceeded::Depth { .. }
        | Exceeded::Unmeasurable { .. } => "no lesson writes files: a loop that writes or creates them? The checker ended the case so that it could not fill the disk of the machine".into(),
        Exceeded::Cpu { .. } => "the lessons run on tokio tasks on one thread; OS threads or processes that spin take the CPU from every other case. Use tokio::spawn, and await instead of spinning".into(),
        Exceeded::Tasks { .. } => OS_THREADS_LEFT.into(),
    }
}

/// A case's scratch folder at `path` could not be removed (`error`): said on stderr, since
/// the space it holds stays taken.
pub fn scratch_not_removed(path: &str, error: &str) -> String {
    format!(
        "checker: warning: could not remove the scratch folder of a case, {path}: {error}; the disk space it holds stays taken until it is removed by hand"
    )
}
