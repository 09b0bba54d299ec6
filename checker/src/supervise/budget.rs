//! A case's share of the machine, watched while it runs: disk, CPU time and threads of its
//! whole process tree, not of one process (the rlimits set at spawn are per process).
//!
//! The wait loop calls [`Watch::check`] often; it measures at a bounded rate (every
//! [`EVERY`], or less often when measuring takes long, so that watching never costs more
//! than a tenth of a core) and says what the case went over, if anything. The checker then
//! kills the case's tree and gives it its own verdict. What each limit is, and why, is said
//! at each constant; `docs/security.md` says what is bounded on which OS.

use std::collections::HashSet;
use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::os::{self, scratch};

/// Bytes of disk a case may hold at once: its scratch folder (where the runner keeps the
/// stdout it captures, up to the 64 MiB file-size limit), its stderr and result files (the
/// same limit), and files its processes keep open without a name. 64 MiB for stdout and
/// 64 MiB for stderr leave 128 MiB for what the code writes itself; no lesson writes a file.
pub const DISK_BUDGET: u64 = 256 * 1024 * 1024;
/// Files, folders and links a case's scratch folder may hold. The runner makes one, no lesson
/// any; a thousand is already a loop, and keeps each walk of the folder short (about a
/// millisecond).
pub const ENTRY_BUDGET: u64 = 1024;
/// How deep folders may nest in a case's scratch folder.
pub const DEPTH_BUDGET: u64 = 32;
/// Threads of all the processes of a case's tree at once. The runner needs a handful, tokio's
/// blocking pool a few dozen at most; a thousand threads (even asleep) are a bomb.
pub const TASK_BUDGET: u64 = 256;
/// CPU time a case's tree may use beyond its real time: one core on average, plus this. A
/// lesson runs on one thread; more than one core at once is threads or processes spinning,
/// which take the CPU from every other case of the machine.
pub const CPU_SLACK: Duration = Duration::from_millis(500);
/// Threads of a case's tree that may want a core at once, measured again and again (see
/// [`RUNNING_CHECKS`]). A lesson's executor is one thread, its watchdog another; threads or
/// processes spinning side by side are more. Where the kernel shares the CPU between sessions
/// (autogroup) such a case gets no more than its share, so its CPU time never passes its real
/// time: this is what still sees it.
pub const RUNNING_BUDGET: u64 = 4;
/// Checks in a row a case may be over [`RUNNING_BUDGET`] (about 150 ms).
pub const RUNNING_CHECKS: u32 = 3;
/// How often a case is measured, at most.
pub const EVERY: Duration = Duration::from_millis(50);

/// What a case went over.
#[derive(Debug, Clone, PartialEq)]
pub enum Exceeded {
    /// Bytes of disk held (counted up to just past [`DISK_BUDGET`]).
    Disk {
        /// Bytes counted.
        bytes: u64,
    },
    /// Entries of its scratch folder (counted up to just past [`ENTRY_BUDGET`]).
    Entries {
        /// Entries counted.
        count: u64,
    },
    /// Folders nested deeper than [`DEPTH_BUDGET`].
    Depth {
        /// Depth reached.
        depth: u64,
    },
    /// Its scratch folder could not be measured: it is not allowed to hide what it holds.
    Unmeasurable {
        /// What failed.
        why: String,
    },
    /// CPU time beyond its real time plus [`CPU_SLACK`], or more than [`RUNNING_BUDGET`]
    /// threads wanting a core, [`RUNNING_CHECKS`] checks in a row.
    Cpu {
        /// Seconds of CPU time of its tree.
        cpu: f64,
        /// Seconds of real time since it started.
        real: f64,
        /// Threads running or ready to run at the last check.
        running: u64,
    },
    /// More than [`TASK_BUDGET`] threads at once.
    Tasks {
        /// Threads counted.
        count: u64,
    },
}

/// Watches one case: its scratch folder and the files the checker gave it.
#[derive(Debug)]
pub struct Watch<'a> {
    scratch: &'a Path,
    files: [&'a File; 2],
    started: Instant,
    next: Instant,
    /// Checks in a row over [`RUNNING_BUDGET`].
    busy_checks: u32,
}

impl<'a> Watch<'a> {
    /// A watch of the case started at `started`, with `scratch` as its folder and `files`
    /// (its stderr and result channel) open on its descriptors.
    pub fn new(scratch: &'a Path, files: [&'a File; 2], started: Instant) -> Self {
        Self {
            scratch,
            files,
            started,
            // The first measure too after `EVERY`: in less time the rlimits set at spawn bound
            // what a case can take (64 MiB a file, its processes and memory), and most cases
            // have ended by then, to be measured once by `last_check` (a measure is about forty
            // system calls, a twentieth of a trivial case's cost).
            next: started + EVERY,
            busy_checks: 0,
        }
    }

    /// What the case whose tree is `tree` went over, if anything; measures only when it is
    /// time to.
    pub fn check(&mut self, tree: &os::Tree) -> Option<Exceeded> {
        let now = Instant::now();
        if now < self.next {
            return None;
        }
        let exceeded = self.measure(Some(tree));
        let took = now.elapsed();
        self.next = Instant::now() + EVERY.max(took * 10);
        exceeded
    }

    /// What the case left over its budget when it ended (by itself, between two checks): its
    /// folder and files are measured once more, whatever the time. Its processes are gone (and
    /// their ids may be another's already): they are not looked at.
    pub fn last_check(&mut self) -> Option<Exceeded> {
        self.measure(None)
    }

    fn measure(&mut self, tree: Option<&os::Tree>) -> Option<Exceeded> {
        let mut seen = HashSet::new();
        let mut bytes = 0;
        for file in self.files {
            if let Some((allocated, id)) = scratch::allocated(file)
                && (id == (0, 0) || seen.insert(id))
            {
                bytes += allocated;
            }
        }
        if let Some(usage) = tree.and_then(|tree| tree.usage(&mut seen)) {
            let real = self.started.elapsed();
            self.busy_checks = if usage.running > RUNNING_BUDGET {
                self.busy_checks + 1
            } else {
                0
            };
            if usage.cpu > real + CPU_SLACK || self.busy_checks >= RUNNING_CHECKS {
                return Some(Exceeded::Cpu {
                    cpu: usage.cpu.as_secs_f64(),
                    real: real.as_secs_f64(),
                    running: usage.running,
                });
            }
            if usage.tasks > TASK_BUDGET {
                return Some(Exceeded::Tasks { count: usage.tasks });
            }
            bytes += usage.unnamed_bytes;
        }
        let budget = scratch::Budget {
            bytes: DISK_BUDGET.saturating_sub(bytes),
            entries: ENTRY_BUDGET,
            depth: DEPTH_BUDGET,
        };
        match scratch::measure(self.scratch, &budget, &mut seen) {
            Err(error) => Some(Exceeded::Unmeasurable {
                why: error.to_string(),
            }),
            Ok(usage) if usage.bytes + bytes > DISK_BUDGET => Some(Exceeded::Disk {
                bytes: usage.bytes + bytes,
            }),
            Ok(usage) if usage.entries > ENTRY_BUDGET => Some(Exceeded::Entries {
                count: usage.entries,
            }),
            Ok(usage) if usage.depth > DEPTH_BUDGET => Some(Exceeded::Depth { depth: usage.depth }),
            Ok(_) => None,
        }
    }
}
