//! Runs one case in a child process and collects what it reports.
//!
//! The child runs in a process tree of its own (a process group on Unix, a Job Object on
//! Windows) under resource limits, with no stdin, an environment with nothing but what a
//! program needs to run (so the grader's secrets, CI tokens for one, stay out of reach), an
//! empty scratch directory as its working directory, and a result channel that only it and the
//! checker know about; its report must carry this run's secret. The checker's own wall-clock
//! limit (the runner's watchdog plus a grace period) ends children that stop responding: the
//! whole tree is asked to end, then killed. When a case ends, whatever is left of its tree is
//! killed, and so is any process that escaped it where the OS lets one escape. How each of
//! these is done on each OS is [`crate::os`]'s business; `docs/security.md` says what this
//! does not stop.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::File;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use asynclings_runner::protocol::{
    self, CaseReport, CaseRequest, FrameError, REQUEST_ENV, SECRET_ENV,
};

use crate::cancel::Cancel;
use crate::os::sandbox::{Confinement, Sandbox};
use crate::os::{self, Interrupts, Limits};

mod budget;
mod case;
mod manifest;
pub mod message;
mod process;
#[cfg(target_os = "linux")]
mod served;

use budget::Watch;
pub use budget::{
    CPU_SLACK, DEPTH_BUDGET, DISK_BUDGET, ENTRY_BUDGET, EVERY, Exceeded, RUNNING_BUDGET,
    RUNNING_CHECKS, TASK_BUDGET,
};
use case::{Scratch, case_command, new_secret, read_tail};
use process::CaseProcess;
pub use process::{CASE_PROCESS_ENV, CaseProcesses};

/// Most bytes of a child's stderr kept (the end of it, where panics and aborts are).
pub const STDERR_CAP: u64 = 16 * 1024;
/// The file-size limit of a child: no file it writes (its stdout included) grows past this
/// (Unix: Windows has no such limit).
pub const FILE_SIZE_LIMIT: u64 = 64 * 1024 * 1024;
/// The memory limit of a child: a memory bomb fails its allocation here (address space on
/// Linux, committed memory of the whole job on Windows; macOS does not enforce it).
pub const ADDRESS_SPACE_LIMIT: u64 = 4 * 1024 * 1024 * 1024;
/// Extra real time the checker allows past a case's timeout before killing the child.
pub const GRACE: Duration = Duration::from_secs(2);
/// Threads and processes a child may start beyond those its user already runs (Linux's
/// RLIMIT_NPROC counts every thread of the user, so the limit is set relative to the count at
/// start-up; on Windows it is the job's process count). The kernel does not apply it to root.
pub const PROCESS_HEADROOM: u64 = 1024;
/// The only environment variables a child inherits from the checker.
pub const KEPT_ENV: &[&str] = os::KEPT_ENV;

/// The runner binary of the implementation under test.
#[derive(Debug, Clone)]
pub struct Runner {
    /// Path of the binary.
    pub path: PathBuf,
    /// Variant, for a binary that holds several implementations.
    pub variant: Option<String>,
}

/// What the checker saw of a case.
#[derive(Debug, Clone)]
pub enum Observed {
    /// The child reported.
    Report(CaseReport),
    /// The child ended before the code under test ran (it never wrote the start line): the
    /// runner's own set-up failed, whatever its stderr says.
    NotReady {
        /// How it ended.
        ending: os::Ending,
        /// The end of its stderr (where the runner says why).
        stderr: String,
    },
    /// The child ended without a report, after the code under test started.
    Crashed {
        /// How it ended.
        ending: os::Ending,
        /// The end of its stderr.
        stderr: String,
    },
    /// The checker killed it after its real-time budget and grace period.
    Killed {
        /// Seconds of real time before the kill.
        after: f64,
        /// The end of its stderr.
        stderr: String,
        /// It was stopped (SIGSTOP) when its budget ran out: it froze itself.
        stopped: bool,
    },
    /// The checker ended it when its tree went over a budget: disk, CPU, threads.
    Exceeded {
        /// What it went over.
        what: Exceeded,
        /// Seconds of real time before it was ended.
        after: f64,
        /// The end of its stderr.
        stderr: String,
    },
    /// Something other than one genuine report was on the result channel.
    Forged {
        /// What was wrong with it.
        why: String,
    },
    /// The child could not be started.
    NotStarted(String),
}

/// How many of the latest cases' process ids a supervisor remembers, to place the sender of
/// a stop signal.
const REMEMBERED_CASES: usize = 1024;

/// Starts, watches and ends the processes of one grading run's cases; cloning it shares them.
///
/// It owns the run's [`Cancel`] handle: once cancelled, no case starts and running ones end.
/// It also tells a stop signal sent by the code under test from one sent by a person
/// ([`Supervisor::signal_from_case`]).
#[derive(Debug, Clone)]
pub struct Supervisor {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    cancel: Cancel,
    /// What confines every case.
    sandbox: Arc<Sandbox>,
    /// Running children by pid, with the handle that ends each one's tree.
    live: Mutex<HashMap<u32, os::Tree>>,
    /// Pids (= process groups on Unix) of the latest cases, running or ended: a case that
    /// signalled the checker just before it ended and was reaped is still placed.
    recent: Mutex<VecDeque<i32>>,
    /// Cases (by pid) that sent a stop signal to the checker, not yet collected.
    signallers: Mutex<HashSet<i32>>,
    /// Case servers at rest between two cases (at most one per core).
    #[cfg(target_os = "linux")]
    servers: Mutex<Vec<served::Server>>,
    /// How many servers may rest at once: the machine's cores (at least 2), as the options
    /// read them once (reading them opens four files of `/proc` and the cgroup).
    #[cfg(target_os = "linux")]
    resting_servers: usize,
    /// This run spawns every case: asked for, or a case server failed to start.
    #[cfg(target_os = "linux")]
    no_servers: std::sync::atomic::AtomicBool,
}

#[cfg(target_os = "linux")]
impl Drop for Shared {
    fn drop(&mut self) {
        for server in std::mem::take(&mut *locked(&self.servers)) {
            served::Server::end(server);
        }
    }
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Supervisor {
    /// A supervisor for a run that `cancel` stops, with no sandbox, on a machine of `cores`
    /// cores (as [`Supervisor::with_sandbox`]): what the instructors' tools without a session
    /// (`validate`, `verify`) use to read the reference's manifest
    /// ([`Supervisor::read_manifest`], which spawns the runner). Any case it ran would be
    /// spawned too: it starts no case server, so nothing of the environment is read here.
    pub fn new(cancel: Cancel, cores: usize) -> Self {
        Self::with_sandbox(
            cancel,
            Arc::new(Sandbox::off()),
            CaseProcesses::Spawned,
            cores,
        )
    }

    /// A supervisor for a run that `cancel` stops, whose cases `sandbox` confines, and whose
    /// processes start as `processes` says, on a machine of `cores` cores (the options'
    /// `Machine::cores`, read once): on Linux, as many case servers may rest between cases,
    /// at least 2.
    pub fn with_sandbox(
        cancel: Cancel,
        sandbox: Arc<Sandbox>,
        processes: CaseProcesses,
        cores: usize,
    ) -> Self {
        #[cfg(not(target_os = "linux"))]
        let _ = (processes, cores);
        Self {
            shared: Arc::new(Shared {
                cancel,
                sandbox,
                live: Mutex::default(),
                recent: Mutex::default(),
                signallers: Mutex::default(),
                #[cfg(target_os = "linux")]
                servers: Mutex::default(),
                #[cfg(target_os = "linux")]
                resting_servers: cores.max(2),
                #[cfg(target_os = "linux")]
                no_servers: std::sync::atomic::AtomicBool::new(processes == CaseProcesses::Spawned),
            }),
        }
    }

    /// The run's cancel handle.
    pub fn cancel(&self) -> &Cancel {
        &self.shared.cancel
    }

    /// Routes stop signals (Ctrl-C, SIGTERM, SIGHUP) to this run while the returned value
    /// lives: the first prints `notice` and cancels the run (no case starts, running ones and
    /// cargo end, and the report is written); the second ends the checker at once with
    /// `exit_status`. A stop signal sent by the code under test is ignored and noted for its
    /// case's verdict.
    ///
    /// # Errors
    /// The OS handler cannot be installed.
    pub fn route_interrupts(
        &self,
        notice: &'static str,
        exit_status: u8,
    ) -> std::io::Result<Interrupts> {
        let supervisor = self.clone();
        Interrupts::route(move |signal| {
            if signal
                .sender
                .is_some_and(|s| supervisor.signal_from_case(s))
            {
                return;
            }
            if supervisor.cancel().is_cancelled() {
                supervisor.kill_all();
                std::process::exit(i32::from(exit_status));
            }
            // Not eprintln!, which panics when stderr is gone (the terminal hung up: that is
            // what SIGHUP says), and would take this thread, and every later signal, with it.
            let _ = writeln!(std::io::stderr(), "\n{notice}");
            supervisor.interrupt();
        })
    }

    /// Cancels the run and ends everything running: cases, and cargo during a build.
    pub fn interrupt(&self) {
        self.shared.cancel.cancel();
        self.kill_all();
    }

    /// Kills every running case's tree; they report nothing more. Every other descendant of
    /// the checker goes too (cargo and its compilers during the build, strays during
    /// grading). Nothing is reaped here: whoever waits for a child (the build, a case) does.
    fn kill_all(&self) {
        for tree in locked(&self.shared.live).values() {
            tree.kill();
        }
        os::kill_descendants();
    }

    /// Whether a stop signal sent by process `sender` came from the code under test: `sender`
    /// is one of the latest cases' processes, or in the process group of one. If so, the case
    /// is noted (its verdict says so) and the signal is to be ignored.
    ///
    /// A case forked by a case server (Linux) runs before the checker hears its pid and
    /// remembers it: a sender whose group's leader is the child of a remembered process (a
    /// server, or a case) is taken for a case too, under that group.
    ///
    /// A sender that is gone (a process of a case's group that exited and was reaped before
    /// this runs) or that left its case's group (setsid) is not recognised: its signal
    /// interrupts the run, whose report then never passes.
    pub fn signal_from_case(&self, sender: i32) -> bool {
        // Cases are spawned and remembered under the `live` lock: one started just now is known.
        let live = locked(&self.shared.live);
        let is_case = |pid: i32| pid > 0 && locked(&self.shared.recent).contains(&pid);
        let group = if is_case(sender) {
            Some(sender)
        } else {
            os::group_of(sender).filter(|&g| is_case(g))
        };
        #[cfg(target_os = "linux")]
        let group = group.or_else(|| {
            let leader = os::group_of(sender).unwrap_or(sender);
            let parent = asynclings_runner::procfs::stat(&leader.to_string())?.ppid;
            is_case(parent).then_some(leader)
        });
        drop(live);
        if let Some(group) = group {
            locked(&self.shared.signallers).insert(group);
        }
        group.is_some()
    }

    /// Whether case `pid` (ended) sent a stop signal to the checker; collects the note. Waits
    /// (briefly) for signals still on their way, which may be that case's.
    fn take_signal_note(&self, pid: i32) -> bool {
        Interrupts::settle(Duration::from_millis(100));
        locked(&self.shared.signallers).remove(&pid)
    }

    /// Runs `request` in a child of `runner` and waits for it (at most its timeout plus
    /// grace); also says whether the case sent a stop signal to the checker (which ignored it).
    pub fn run_case(&self, runner: &Runner, request: &CaseRequest) -> (Observed, bool) {
        let mut signalled = false;
        let ran = self.try_run_case(runner, request, &mut signalled, true);
        // A case whose server broke is run again, spawned: unless it had started where its
        // signals can reach the server (no Landlock scopes), since it may be what broke it,
        // and a second try is not a case's to take. A signal it sent the checker stays noted.
        #[cfg(target_os = "linux")]
        let ran = match ran.as_ref().err().and_then(served::broke) {
            Some(started) if !started || self.shared.sandbox.scopes_signals() => {
                let mut again = false;
                let ran = self.try_run_case(runner, request, &mut again, false);
                signalled |= again;
                ran
            }
            _ => ran,
        };
        let observed = match ran {
            Ok(observed) => observed,
            Err(error) => Observed::NotStarted(format!("{error:#}")),
        };
        (observed, signalled)
    }

    fn try_run_case(
        &self,
        runner: &Runner,
        request: &CaseRequest,
        signalled: &mut bool,
        may_serve: bool,
    ) -> anyhow::Result<Observed> {
        let secret = new_secret();
        // An empty working directory: relative paths in the code under test reach nothing of
        // ours; in the sandbox it is the only place the case may write.
        let scratch = Scratch(Some(self.shared.sandbox.scratch()?));
        let mut result = os::ResultChannel::new()?;
        let mut stderr = os::unnamed_file()?;
        let cpu_seconds = (request.real_timeout + GRACE.as_secs_f64()).ceil() as u64 + 1;
        let request = CaseRequest {
            confine_call: self.shared.sandbox.confines_calls(),
            ..request.clone()
        };
        let started = Instant::now();
        let Some(mut child) = self.start_case(
            runner,
            &request,
            &secret,
            (scratch.path(), &result, &stderr),
            cpu_seconds,
            may_serve,
        )?
        else {
            return Ok(Observed::NotStarted("the run was interrupted".into()));
        };
        let deadline = started + protocol::seconds(request.real_timeout) + GRACE;
        let mut stopped = false;
        let mut watch = Watch::new(scratch.path(), [&stderr, result.file()], started);
        let mut waited = self.wait_until(child.as_mut(), deadline, &mut stopped, Some(&mut watch));
        // Whatever the child left behind in its tree goes with it, and so do escaped descendants.
        self.end(child.as_ref());
        // A case that ended between two checks is judged by what it left.
        if let Ok(Waited::Exited(_)) = waited
            && let Some(what) = watch.last_check()
        {
            waited = Ok(Waited::Exceeded(what));
        }
        drop(scratch);
        *signalled = self.take_signal_note(child.id() as i32);
        let waited = waited?;
        let stderr_text = read_tail(&mut stderr, STDERR_CAP);
        let after = started.elapsed().as_secs_f64();
        let status = match waited {
            Waited::Exited(status) => status,
            Waited::TimedOut => {
                return Ok(Observed::Killed {
                    after,
                    stderr: stderr_text,
                    stopped,
                });
            }
            Waited::Exceeded(what) => {
                return Ok(Observed::Exceeded {
                    what,
                    after,
                    stderr: stderr_text,
                });
            }
        };
        let bytes = result.read_all()?;
        let read = protocol::read_result(&secret, &bytes);
        Ok(match read.report {
            Ok(report) => Observed::Report(report),
            Err(FrameError::Empty) if read.started => Observed::Crashed {
                ending: os::Ending::of(status),
                stderr: stderr_text,
            },
            Err(FrameError::Empty) => Observed::NotReady {
                ending: os::Ending::of(status),
                stderr: stderr_text,
            },
            Err(FrameError::Forged(why)) => Observed::Forged { why },
        })
    }

    /// Starts a case's process: forked by a case server where the run uses them
    /// ([`served`]) and `may_serve`, spawned otherwise; registered as running either way.
    /// `None`: the run was interrupted.
    fn start_case(
        &self,
        runner: &Runner,
        request: &CaseRequest,
        secret: &str,
        (scratch, result, stderr): (&std::path::Path, &os::ResultChannel, &File),
        cpu_seconds: u64,
        may_serve: bool,
    ) -> anyhow::Result<Option<Box<dyn CaseProcess>>> {
        #[cfg(target_os = "linux")]
        if may_serve && served::enabled(self) {
            let prepared = served::Prepared {
                request,
                secret,
                scratch,
                result: result.file(),
                stderr,
                cpu_seconds,
            };
            return Ok(served::start(self, runner, &prepared)?
                .map(|process| Box::new(process) as Box<dyn CaseProcess>));
        }
        let _ = may_serve;
        let (mut command, confinement) =
            case_command(&self.shared.sandbox, runner, scratch, stderr)?;
        command
            .arg("--case")
            .env(REQUEST_ENV, serde_json::to_string(request)?)
            .env(SECRET_ENV, secret)
            .stdout(Stdio::null());
        Ok(self
            .spawn_registered(command, confinement, result, cpu_seconds, runner)?
            .map(|child| Box::new(child) as Box<dyn CaseProcess>))
    }

    /// Notes `pid` among the latest cases' (to place a stop signal's sender).
    fn remember(&self, pid: i32) {
        let mut recent = locked(&self.shared.recent);
        if recent.len() == REMEMBERED_CASES {
            recent.pop_front();
        }
        recent.push_back(pid);
    }

    /// Starts `command` as a case and registers it as running, under one lock: so that a
    /// stray sweep never mistakes it for a stray, and so that an interrupt either sees it
    /// registered (and kills it) or is seen here (and nothing starts: `None`);
    /// [`Supervisor::kill_all`] takes the same lock after cancelling.
    fn spawn_registered(
        &self,
        command: Command,
        confinement: Confinement,
        result: &os::ResultChannel,
        cpu_seconds: u64,
        runner: &Runner,
    ) -> anyhow::Result<Option<os::Child>> {
        let mut live = locked(&self.shared.live);
        if self.shared.cancel.is_cancelled() {
            return Ok(None);
        }
        let limits = Limits {
            cpu_seconds,
            file_size: FILE_SIZE_LIMIT,
            memory: ADDRESS_SPACE_LIMIT,
            processes: PROCESS_HEADROOM,
        };
        let child = os::spawn(command, confinement, result, limits)
            .map_err(|error| anyhow::anyhow!("cannot start {}: {error}", runner.path.display()))?;
        live.insert(child.id(), child.tree());
        self.remember(child.id() as i32);
        Ok(Some(child))
    }

    /// Ends what is left of `child`'s tree, forgets it, and sweeps up strays.
    fn end(&self, child: &dyn CaseProcess) {
        child.tree().kill();
        locked(&self.shared.live).remove(&child.id());
        os::kill_strays(&|pid| locked(&self.shared.live).contains_key(&pid));
    }

    /// Waits for `child` until `deadline`, then ends its tree (asked, then killed); ends it at
    /// once when `watch` finds it over a budget. `stopped` says whether it was stopped
    /// (SIGSTOP) at the deadline rather than running or blocked.
    fn wait_until(
        &self,
        child: &mut dyn CaseProcess,
        deadline: Instant,
        stopped: &mut bool,
        mut watch: Option<&mut Watch<'_>>,
    ) -> anyhow::Result<Waited> {
        let mut pause = Duration::from_micros(50);
        let tree = child.tree();
        loop {
            // Wakes the moment the child ends where the OS can say (Linux, Windows), or after
            // `pause`, to look at the budgets, the deadline and the run's cancellation.
            if let Some(status) = child.wait_for(pause)? {
                return Ok(Waited::Exited(status));
            }
            if self.shared.cancel.is_cancelled() {
                // Ctrl-C: the verdict would be the interruption's; end the case at once.
                tree.kill();
                child.wait()?;
                return Ok(Waited::TimedOut);
            }
            if let Some(what) = watch.as_mut().and_then(|w| w.check(&tree)) {
                tree.kill();
                child.wait()?;
                return Ok(Waited::Exceeded(what));
            }
            if Instant::now() >= deadline {
                *stopped = tree.is_stopped();
                tree.terminate();
                let term_deadline = Instant::now() + Duration::from_millis(300);
                while Instant::now() < term_deadline {
                    if child.wait_for(Duration::from_millis(5))?.is_some() {
                        return Ok(Waited::TimedOut);
                    }
                }
                tree.kill();
                child.wait()?;
                return Ok(Waited::TimedOut);
            }
            pause = (pause * 2).min(Duration::from_millis(5));
        }
    }
}

/// How waiting for a case ended.
#[derive(Debug)]
enum Waited {
    /// It ended by itself.
    Exited(ExitStatus),
    /// The checker ended it: past its deadline, or on an interrupt.
    TimedOut,
    /// The checker ended it: over a budget.
    Exceeded(Exceeded),
}
