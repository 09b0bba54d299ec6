//! The machine's load beside every figure of `checker bench`: a timing taken while other
//! processes compete for the cores measures them as much as the checker.
//!
//! Each figure gets two readings taken when its measurement ended: the 1-minute load average
//! ([`crate::os::load_average`]), and the CPU that processes *other* than the benchmark's own
//! used since the previous figure, in cores: the machine's busy CPU time
//! ([`crate::os::machine_cpu_seconds`]) less this process's and its descendants'
//! ([`crate::os::own_cpu_seconds`]), over the real time between them. The load average counts
//! the benchmark itself (two busy workers on two cores read 2.0 on an idle machine), so where
//! the second reading exists (Linux) it decides whether a figure was taken on a busy machine;
//! elsewhere the load average does. Above [`BUSY_PER_CORE`] per core the report warns.

use std::time::Instant;

/// The load per core above which figures are not those of an idle machine.
pub const BUSY_PER_CORE: f64 = 0.5;

/// The machine's load at one moment: the 1-minute load average (`None`: the OS has none, or it
/// could not be read), the cores other processes kept busy (`None`: unknown), and the number
/// of cores it is shared by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// The 1-minute load average, in runnable tasks (the benchmark's own included).
    pub average: Option<f64>,
    /// CPU used by processes outside the benchmark since the previous reading, in cores.
    pub others: Option<f64>,
    /// Cores of the machine (at least 1).
    pub cores: usize,
}

impl Load {
    /// Whether the machine is busier than [`BUSY_PER_CORE`] per core: by the other processes'
    /// CPU where known, else by the load average; an unknown load is not.
    pub fn busy(&self) -> bool {
        let limit = BUSY_PER_CORE * self.cores.max(1) as f64;
        match (self.others, self.average) {
            (Some(others), _) => others > limit,
            (None, Some(load)) => load > limit,
            (None, None) => false,
        }
    }

    /// The load as a report's table cell: `0.42`, `2.10; others 0.03`, `3.10; others 1.40
    /// (busy)`, or `unknown`.
    pub fn cell(&self) -> String {
        let mut cell = match self.average {
            Some(load) => format!("{load:.2}"),
            None => "unknown".into(),
        };
        if let Some(others) = self.others {
            cell.push_str(&format!("; others {others:.2}"));
        }
        if self.busy() {
            cell.push_str(" (busy)");
        }
        cell
    }
}

/// A reading of the CPU time spent so far, by the machine and by this benchmark.
#[derive(Debug, Clone, Copy)]
struct CpuMark {
    at: Instant,
    machine: Option<f64>,
    own: Option<f64>,
}

impl CpuMark {
    fn now() -> Self {
        Self {
            at: Instant::now(),
            machine: crate::os::machine_cpu_seconds(),
            own: crate::os::own_cpu_seconds(),
        }
    }

    /// Cores kept busy by other processes between `self` and `later`.
    fn others_until(&self, later: &CpuMark) -> Option<f64> {
        let wall = later.at.duration_since(self.at).as_secs_f64();
        let machine = later.machine? - self.machine?;
        let own = later.own? - self.own?;
        (wall > 0.0).then(|| ((machine - own) / wall).max(0.0))
    }
}

/// The loads seen during one bench run, for the warning at its end, on a machine of the
/// cores read once at the run's top.
#[derive(Debug)]
pub struct Loads {
    highest_busy: Option<Load>,
    figures: usize,
    busy_figures: usize,
    last: CpuMark,
    cores: usize,
}

impl Loads {
    /// Starts counting the other processes' CPU now, on a machine of `cores` cores (the
    /// run's, read once: `options::cores`).
    pub fn new(cores: usize) -> Self {
        Self {
            highest_busy: None,
            figures: 0,
            busy_figures: 0,
            last: CpuMark::now(),
            cores,
        }
    }

    /// The machine's cores, as given to [`Loads::new`].
    pub fn cores(&self) -> usize {
        self.cores
    }

    /// The load now, and the other processes' CPU since the previous figure, noted for the
    /// warning, as a table cell ([`Load::cell`]); says so on stderr when the machine is busy.
    pub fn note(&mut self) -> String {
        let mark = CpuMark::now();
        let others = self.last.others_until(&mark);
        self.last = mark;
        self.note_load(Load {
            average: crate::os::load_average(),
            others,
            cores: self.cores,
        })
    }

    /// As [`Loads::note`], with `load` given.
    pub fn note_load(&mut self, load: Load) -> String {
        self.figures += 1;
        if load.busy() {
            self.busy_figures += 1;
            let rank = |l: &Load| l.others.or(l.average);
            if self.highest_busy.is_none_or(|h| rank(&h) < rank(&load)) {
                self.highest_busy = Some(load);
            }
            eprintln!("{}", busy_now(&load));
        }
        load.cell()
    }

    /// The warning a report ends with when any figure was measured on a busy machine.
    pub fn warning(&self) -> Option<String> {
        let load = self.highest_busy?;
        Some(format!(
            "**Warning: {} of {} figures were measured on a busy machine** ({} on {} cores, above {BUSY_PER_CORE} per core): they measure the other processes too. Measure again on an idle machine before comparing or publishing them.\n",
            self.busy_figures,
            self.figures,
            busy_amount(&load),
            load.cores
        ))
    }
}

/// How busy, in words: the other processes' CPU where known, else the load average.
fn busy_amount(load: &Load) -> String {
    match load.others {
        Some(others) => format!("other processes used up to {others:.2} cores"),
        None => format!("load average up to {:.2}", load.average.unwrap_or(0.0)),
    }
}

/// What stderr says the moment a figure was taken on a busy machine.
fn busy_now(load: &Load) -> String {
    format!(
        "warning: {} on {} cores (above {BUSY_PER_CORE} per core): this figure measures other processes too",
        busy_amount(load).replace(" up to", ""),
        load.cores
    )
}

/// The column header that goes with [`Loads::note`]'s cells.
pub const COLUMN: &str = "load (1 min; others: cores used by other processes)";

#[cfg(test)]
mod tests {
    use super::*;

    fn load(average: Option<f64>, cores: usize) -> Load {
        Load {
            average,
            others: None,
            cores,
        }
    }

    fn with_others(average: f64, others: f64, cores: usize) -> Load {
        Load {
            average: Some(average),
            others: Some(others),
            cores,
        }
    }

    #[test]
    fn where_other_processes_are_measured_they_decide_and_not_the_benchmarks_own_load() {
        // Two busy workers of the benchmark on two cores: load 2, nobody else.
        assert!(!with_others(2.0, 0.05, 2).busy());
        assert_eq!(with_others(2.0, 0.05, 2).cell(), "2.00; others 0.05");
        assert!(with_others(0.3, 1.2, 2).busy());
        assert_eq!(with_others(3.1, 1.2, 2).cell(), "3.10; others 1.20 (busy)");
        let mut loads = Loads::new(2);
        loads.note_load(with_others(2.0, 1.5, 2));
        let warning = loads.warning().expect("a warning");
        assert!(
            warning.contains("other processes used up to 1.50 cores"),
            "{warning}"
        );
    }

    #[test]
    fn the_other_processes_are_the_machine_less_the_benchmark() {
        let start = Instant::now();
        let mark = |secs: u64, machine: f64, own: f64| CpuMark {
            at: start + std::time::Duration::from_secs(secs),
            machine: Some(machine),
            own: Some(own),
        };
        // 10 s: the machine was busy 14 s of CPU, the benchmark 12 s of it.
        let others = mark(0, 100.0, 5.0).others_until(&mark(10, 114.0, 17.0));
        assert!((others.unwrap() - 0.2).abs() < 1e-9);
        // The benchmark's own count can run ahead of the machine's coarser ticks: never below 0.
        assert_eq!(
            mark(0, 100.0, 5.0).others_until(&mark(1, 100.0, 6.0)),
            Some(0.0)
        );
        let unknown = CpuMark {
            machine: None,
            ..mark(2, 0.0, 0.0)
        };
        assert_eq!(mark(0, 1.0, 1.0).others_until(&unknown), None);
    }

    #[test]
    fn busy_is_above_half_a_task_per_core() {
        assert!(!load(Some(1.0), 2).busy());
        assert!(load(Some(1.01), 2).busy());
        assert!(load(Some(0.6), 1).busy());
        assert!(!load(Some(3.9), 8).busy());
        assert!(!load(None, 2).busy(), "an unknown load is not called busy");
        assert!(load(Some(0.6), 0).busy(), "no cores counts as one");
    }

    #[test]
    fn cells_show_the_load_and_whether_it_was_busy() {
        assert_eq!(load(Some(0.4242), 2).cell(), "0.42");
        assert_eq!(load(Some(3.1), 2).cell(), "3.10 (busy)");
        assert_eq!(load(None, 2).cell(), "unknown");
    }

    #[test]
    fn the_warning_counts_busy_figures_and_names_the_highest_load() {
        let mut loads = Loads::new(2);
        loads.note_load(load(Some(0.2), 2));
        assert_eq!(loads.warning(), None, "an idle run has no warning");
        loads.note_load(load(Some(2.5), 2));
        loads.note_load(load(Some(1.5), 2));
        loads.note_load(load(None, 2));
        let warning = loads.warning().expect("a warning");
        assert!(warning.contains("2 of 4 figures"), "{warning}");
        assert!(warning.contains("up to 2.50 on 2 cores"), "{warning}");
    }
}
