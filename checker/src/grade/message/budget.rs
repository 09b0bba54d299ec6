//! Wording of a case the checker ended for going over its budget (disk, files, folders, CPU,
//! threads). What it went over is the supervisor's own wording
//! ([`crate::supervise::message::over_budget`]), which it also says itself.

use super::OS_THREADS_LEFT;
use crate::supervise::Exceeded;
use crate::supervise::message::over_budget;
use crate::text::numbers::secs;

/// The message of a case the checker ended, after `real` seconds, for going over a budget.
pub fn ended_over_budget(real: f64, what: &Exceeded) -> String {
    format!(
        "ended after {} of real time: it {}",
        secs(real),
        over_budget(what)
    )
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
