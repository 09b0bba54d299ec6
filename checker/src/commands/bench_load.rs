//! The machine's load beside every figure of `checker bench`: a timing taken while other
//! processes compete for the cores measures them as much as the checker.
//!
//! Each figure gets the 1-minute load average read when its measurement ended
//! ([`crate::os::load_average`]), and the report a warning when any of them was above
//! [`BUSY_PER_CORE`] per core.

/// The load per core above which figures are not those of an idle machine.
pub const BUSY_PER_CORE: f64 = 0.5;

/// The machine's load at one moment: the 1-minute load average (`None`: the OS has none, or it
/// could not be read) and the number of cores it is shared by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// The 1-minute load average, in runnable tasks.
    pub average: Option<f64>,
    /// Cores of the machine (at least 1).
    pub cores: usize,
}

impl Load {
    /// The load now.
    pub fn now() -> Self {
        Self {
            average: crate::os::load_average(),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    /// Whether the machine is busier than [`BUSY_PER_CORE`] per core; an unknown load is not.
    pub fn busy(&self) -> bool {
        self.average
            .is_some_and(|load| load > BUSY_PER_CORE * self.cores.max(1) as f64)
    }

    /// The load as a report's table cell: `0.42`, `3.10 (busy)`, or `unknown`.
    pub fn cell(&self) -> String {
        match self.average {
            Some(load) if self.busy() => format!("{load:.2} (busy)"),
            Some(load) => format!("{load:.2}"),
            None => "unknown".into(),
        }
    }
}

/// The loads seen during one bench run, for the warning at its end.
#[derive(Debug, Default)]
pub struct Loads {
    highest_busy: Option<Load>,
    figures: usize,
    busy_figures: usize,
}

impl Loads {
    /// The load now, noted for the warning, as a table cell ([`Load::cell`]); says so on
    /// stderr when the machine is busy.
    pub fn note(&mut self) -> String {
        self.note_load(Load::now())
    }

    /// As [`Loads::note`], with `load` given.
    pub fn note_load(&mut self, load: Load) -> String {
        self.figures += 1;
        if load.busy() {
            self.busy_figures += 1;
            if self.highest_busy.is_none_or(|h| h.average < load.average) {
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
            "**Warning: {} of {} figures were measured on a busy machine** (load average up to {:.2} on {} cores, above {BUSY_PER_CORE} per core): they measure the other processes too. Measure again on an idle machine before comparing or publishing them.\n",
            self.busy_figures,
            self.figures,
            load.average.unwrap_or(0.0),
            load.cores
        ))
    }
}

/// What stderr says the moment a figure was taken on a busy machine.
fn busy_now(load: &Load) -> String {
    format!(
        "warning: load average {:.2} on {} cores (above {BUSY_PER_CORE} per core): this figure measures other processes too",
        load.average.unwrap_or(0.0),
        load.cores
    )
}

/// The column header that goes with [`Loads::note`]'s cells.
pub const COLUMN: &str = "load (1 min)";

#[cfg(test)]
mod tests {
    use super::*;

    fn load(average: Option<f64>, cores: usize) -> Load {
        Load { average, cores }
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
        let mut loads = Loads::default();
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
