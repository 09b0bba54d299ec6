//! The supervisor's own wording: what a case the checker ended went over, and a scratch
//! folder it could not remove. It says these itself (a manifest run's error, a warning on
//! stderr), so they live here, below `grade/`, and not in `grade/message/`, which keeps every
//! other message and builds its verdicts' messages on these.

use super::{DEPTH_BUDGET, DISK_BUDGET, ENTRY_BUDGET, Exceeded, TASK_BUDGET};
use crate::text::numbers::{bytes, secs};

/// What a case the checker ended went over, as the rest of a sentence ("it ..."): the
/// budget, what the case reached and the limit.
pub fn over_budget(what: &Exceeded) -> String {
    match what {
        Exceeded::Disk { bytes: used } => format!(
            "used more disk than a case may: {} or more in its folder and open files (the limit is {})",
            bytes(*used),
            bytes(DISK_BUDGET)
        ),
        Exceeded::Entries { count } => format!(
            "created more files and folders than a case may: {count} or more (the limit is {ENTRY_BUDGET})"
        ),
        Exceeded::Depth { depth } => {
            format!("nested folders {depth} deep or more (the limit is {DEPTH_BUDGET})")
        }
        Exceeded::Unmeasurable { why } => format!(
            "made its folder impossible to measure ({why}): the checker must see how much disk a case holds"
        ),
        Exceeded::Cpu { cpu, real, running } => format!(
            "used more than one core: {running} threads running at once, {} of CPU time in {} of real time",
            secs(*cpu),
            secs(*real)
        ),
        Exceeded::Tasks { count } => {
            format!("started {count} OS threads at once (the limit is {TASK_BUDGET})")
        }
    }
}

/// A case's scratch folder at `path` could not be removed (`error`): said on stderr, since
/// the space it holds stays taken.
pub fn scratch_not_removed(path: &str, error: &str) -> String {
    format!(
        "checker: warning: could not remove the scratch folder of a case, {path}: {error}; the disk space it holds stays taken until it is removed by hand"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_budget_says_what_was_reached_and_the_limit() {
        let disk = over_budget(&Exceeded::Disk {
            bytes: 3 * DISK_BUDGET,
        });
        assert!(
            disk.starts_with("used more disk than a case may: "),
            "{disk}"
        );
        assert!(
            disk.contains(&format!("(the limit is {})", bytes(DISK_BUDGET))),
            "{disk}"
        );
        let tasks = over_budget(&Exceeded::Tasks { count: 5000 });
        assert_eq!(
            tasks,
            format!("started 5000 OS threads at once (the limit is {TASK_BUDGET})")
        );
    }
}
