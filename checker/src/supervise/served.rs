//! Cases forked from a warm runner (Linux): one case server (`RUNNER --serve`) per worker,
//! started once per runner and confined as a case is, forks a fresh process for each case.
//!
//! A served case is what a spawned one is: its own process, session and group, limits,
//! scratch folder, result channel, secret and stderr, and a Landlock domain of its own inside
//! the server's, so that it can neither write outside its scratch folder nor signal the server
//! or anything else outside it (`asynclings_runner`'s `serve` module says what the child does).
//! The checker watches it as it watches a spawned case (budgets, deadline, strays) and ends its
//! group the same way; the server reaps it only when the next case arrives.
//!
//! It is used on every Linux run, unless the run asks for spawned cases
//! ([`super::CaseProcesses::Spawned`]: `ASYNCLINGS_CASE_PROCESS=spawn`) or a
//! server cannot start (each case is then spawned). With Landlock (ABI 6 and later) the child's
//! domain keeps its signals from the server; without it, as without the sandbox, a case can
//! signal the server as it could signal the checker, and the server is not dumpable, so that a
//! case of the same user cannot read or write its memory. A server that breaks during a case
//! (it ended, or said something else than expected) is retired and the case is run again,
//! spawned: what a case does to its server never reaches the next case.

use std::fs::File;
use std::io::{self, Seek as _, Write as _};
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::Ordering;
use std::time::Duration;

use asynclings_runner::protocol::{CaseRequest, ServedCase, ServedRequest, ServerSays};

use super::{
    ADDRESS_SPACE_LIMIT, CaseProcess, FILE_SIZE_LIMIT, Runner, Supervisor, case_command, locked,
};
use crate::os::{self, case_server::ServerChannel};

/// How long a server may take to say a case started.
const START_LIMIT: Duration = Duration::from_secs(10);

/// RLIMIT_CPU of a server: it only forks and waits; each case sets its own.
const SERVER_CPU_SECONDS: u64 = 7 * 24 * 3600;

/// Which runner a server serves: its path, variant and modification time.
type RunnerKey = (PathBuf, Option<String>, std::time::SystemTime);

/// A case server at rest between two cases.
#[derive(Debug)]
pub(super) struct Server {
    /// Which runner it serves: path, variant, modification time.
    key: RunnerKey,
    child: os::Child,
    channel: ServerChannel,
    /// Its own stderr: what it said when it failed.
    stderr: File,
}

/// The error of a case whose server broke: what went wrong, and whether the case had started
/// (a case that started may be what broke its server, where Landlock lets its signals out).
#[derive(Debug)]
pub(super) struct ServerBroke {
    why: String,
    started: bool,
}

impl ServerBroke {
    fn before_start(why: String) -> Self {
        Self {
            why,
            started: false,
        }
    }

    fn after_start(why: String) -> Self {
        Self { why, started: true }
    }
}

impl std::fmt::Display for ServerBroke {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the case server broke: {}", self.why)
    }
}

impl std::error::Error for ServerBroke {}

/// Whether this run forks its cases from servers.
pub(super) fn enabled(supervisor: &Supervisor) -> bool {
    !supervisor.shared.no_servers.load(Ordering::Relaxed)
}

/// What a served case needs from the checker's preparation of it.
pub(super) struct Prepared<'a> {
    pub request: &'a CaseRequest,
    pub secret: &'a str,
    pub scratch: &'a Path,
    pub result: &'a File,
    pub stderr: &'a File,
    pub cpu_seconds: u64,
}

/// A case forked by a server, running or ended.
pub(super) struct ServedProcess {
    supervisor: Supervisor,
    server: Option<Server>,
    pid: i32,
    ended: Option<ExitStatus>,
    broken: bool,
}

/// Starts `case` in a server of `runner` (one at rest, or a new one), registered as running
/// under the same lock as a spawned case; `Ok(None)` when the run was interrupted.
///
/// # Errors
/// [`ServerBroke`] (inside the error) when no server could take it: the caller spawns it.
pub(super) fn start(
    supervisor: &Supervisor,
    runner: &Runner,
    case: &Prepared<'_>,
) -> anyhow::Result<Option<ServedProcess>> {
    // A runner rebuilt in place (`watch`) gets a new server: the key holds its mtime.
    let modified = std::fs::metadata(&runner.path)?.modified()?;
    let key = (runner.path.clone(), runner.variant.clone(), modified);
    let (resting, stale) = {
        let mut servers = locked(&supervisor.shared.servers);
        // Servers of an earlier build of the same runner serve nobody any more.
        let (stale, kept): (Vec<Server>, Vec<Server>) = std::mem::take(&mut *servers)
            .into_iter()
            .partition(|s| s.key.0 == key.0 && s.key.1 == key.1 && s.key.2 != key.2);
        *servers = kept;
        let found = servers.iter().position(|s| s.key == key);
        (found.map(|i| servers.swap_remove(i)), stale)
    };
    for server in stale {
        supervisor.retire(server);
    }
    let server = match resting {
        Some(server) => server,
        None => match start_server(supervisor, runner, key) {
            Ok(Some(server)) => server,
            Ok(None) => return Ok(None),
            Err(error) => {
                // Not again in this run: each case would pay for the failed start.
                supervisor.shared.no_servers.store(true, Ordering::Relaxed);
                return Err(ServerBroke::before_start(format!("{error:#}")).into());
            }
        },
    };
    let mut process = ServedProcess {
        supervisor: supervisor.clone(),
        server: Some(server),
        pid: 0,
        ended: None,
        broken: true,
    };
    let server = process.server.as_ref().expect("just set");
    let mut case_file = os::unnamed_file()?;
    // One write: serde_json writes each token to an unbuffered file with a call of its own
    // (about a hundred system calls for a small case).
    case_file.write_all(&serde_json::to_vec(&ServedRequest {
        request: case.request.clone(),
        secret: case.secret.to_owned(),
    })?)?;
    // The child reads it from where the descriptor stands: its start.
    case_file.seek(std::io::SeekFrom::Start(0))?;
    let scratch = File::open(case.scratch)?;
    let served = ServedCase {
        scratch: case.scratch.to_path_buf(),
        cpu_seconds: case.cpu_seconds,
        file_size: FILE_SIZE_LIMIT,
        memory: ADDRESS_SPACE_LIMIT,
        confine: supervisor.shared.sandbox.cases_confine_themselves(),
    };
    if supervisor.shared.cancel.is_cancelled() {
        return Ok(None);
    }
    let broke = |why: String| anyhow::Error::from(ServerBroke::before_start(why));
    server
        .channel
        .send(&served, [&case_file, case.result, case.stderr, &scratch])
        .map_err(|e| broke(e.to_string()))?;
    let pid = match server.channel.hear(START_LIMIT) {
        Ok(Some(ServerSays::Started { pid })) if pid > 0 => pid,
        Ok(Some(other)) => {
            return Err(broke(format!(
                "it said {other:?}, not that the case started"
            )));
        }
        Ok(None) => return Err(broke("it did not say the case started".into())),
        Err(error) => return Err(broke(format!("{error}: {}", server.said()))),
    };
    // The checker kills the group it is told of: it must be the server's own child, not a
    // process a broken server names (the server runs code of the submission's crate).
    let parent = asynclings_runner::procfs::stat(&pid.to_string()).map(|stat| stat.ppid);
    if parent != Some(server.child.id() as i32) {
        return Err(broke(format!(
            "it named process {pid}, not a child of its own"
        )));
    }
    process.pid = pid;
    process.broken = false;
    // Registered under the lock an interrupt takes after cancelling: either the interrupt
    // sees it (and kills it), or it is seen here. (A case forked meanwhile is the checker's
    // descendant, which the interrupt kills too.) Not held while the server forks: a server
    // slow to answer must not hold up an interrupt.
    let mut live = locked(&supervisor.shared.live);
    if supervisor.shared.cancel.is_cancelled() {
        drop(live);
        process.tree().kill();
        return Ok(None);
    }
    live.insert(pid as u32, os::Tree::of_group(pid));
    supervisor.remember(pid);
    Ok(Some(process))
}

/// A new server of `runner`, confined as a case but to the run's scratch root; `None` when the
/// run was interrupted.
fn start_server(
    supervisor: &Supervisor,
    runner: &Runner,
    key: RunnerKey,
) -> anyhow::Result<Option<Server>> {
    let sandbox = &supervisor.shared.sandbox;
    let root = sandbox.scratch_root();
    let (channel, theirs) = os::case_server::pair()?;
    let stderr = tempfile::tempfile()?;
    let (mut command, confinement) = case_command(sandbox, runner, &root, &stderr)?;
    command.arg("--serve").stdout(Stdio::null());
    let child =
        supervisor.spawn_registered(command, confinement, &theirs, SERVER_CPU_SECONDS, runner)?;
    // The server's end is the server's alone: a server that ends closes the channel.
    drop(theirs);
    Ok(child.map(|child| Server {
        key,
        child,
        channel,
        stderr,
    }))
}

impl Server {
    /// The end of what the server wrote on its stderr, or that it wrote nothing.
    fn said(&self) -> String {
        let text = self
            .stderr
            .try_clone()
            .map(|mut stderr| super::read_tail(&mut stderr, 2048))
            .unwrap_or_default();
        if text.trim().is_empty() {
            "it said nothing".into()
        } else {
            text.trim().to_owned()
        }
    }
}

impl Server {
    /// Ends it: kills what it forked (a case it started but the checker never registered,
    /// when it broke while starting one), closes its channel (it exits), kills its group,
    /// reaps it.
    pub(super) fn end(self) {
        let Server {
            mut child, channel, ..
        } = self;
        for forked in asynclings_runner::procfs::children_of(&child.id().to_string()) {
            // Its group, and itself in case it had no group of its own yet.
            os::Tree::of_group(forked).kill();
            let _ = rustix::process::Pid::from_raw(forked)
                .map(|pid| rustix::process::kill_process(pid, rustix::process::Signal::KILL));
        }
        drop(channel);
        child.tree().kill();
        let _ = child.wait();
    }
}

impl Supervisor {
    /// Ends `server` and forgets it: forgotten first, so that its pid, once reaped, is never
    /// taken for a server that still runs.
    pub(super) fn retire(&self, server: Server) {
        locked(&self.shared.live).remove(&server.child.id());
        server.end();
    }
}

impl CaseProcess for ServedProcess {
    fn id(&self) -> u32 {
        self.pid as u32
    }

    fn tree(&self) -> os::Tree {
        os::Tree::of_group(self.pid)
    }

    fn wait_for(&mut self, limit: Duration) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.ended {
            return Ok(Some(status));
        }
        let Some(server) = &self.server else {
            return Err(io::Error::other(ServerBroke::after_start(
                "it is gone".into(),
            )));
        };
        match server.channel.hear(limit) {
            Ok(None) => Ok(None),
            Ok(Some(ServerSays::Ended { status })) => {
                let status = ExitStatus::from_raw(status);
                self.ended = Some(status);
                Ok(Some(status))
            }
            Ok(Some(other)) => {
                self.broken = true;
                Err(io::Error::other(ServerBroke::after_start(format!(
                    "it said {other:?}"
                ))))
            }
            Err(error) => {
                self.broken = true;
                let why = format!("{error}: {}", server.said());
                Err(io::Error::other(ServerBroke::after_start(why)))
            }
        }
    }

    fn wait(&mut self) -> io::Result<ExitStatus> {
        // Called once the case's group was killed: the server says so at once.
        for _ in 0..100 {
            if let Some(status) = self.wait_for(Duration::from_millis(100))? {
                return Ok(status);
            }
        }
        self.broken = true;
        Err(io::Error::other(ServerBroke::after_start(
            "it did not say the killed case ended".into(),
        )))
    }
}

impl Drop for ServedProcess {
    fn drop(&mut self) {
        let Some(server) = self.server.take() else {
            return;
        };
        if self.broken || self.ended.is_none() {
            self.supervisor.retire(server);
            return;
        }
        // At most one resting server per core: a run over many runners or variants (the
        // corpus, `validate`) does not keep an idle server for each.
        let surplus = {
            let mut servers = locked(&self.supervisor.shared.servers);
            servers.push(server);
            let surplus = servers
                .len()
                .saturating_sub(self.supervisor.shared.resting_servers);
            servers.drain(..surplus).collect::<Vec<_>>()
        };
        for server in surplus {
            self.supervisor.retire(server);
        }
    }
}

/// Whether `error` says a case's server broke, and if so whether after the case started.
pub(super) fn broke(error: &anyhow::Error) -> Option<bool> {
    error.chain().find_map(|cause| {
        cause
            .downcast_ref::<ServerBroke>()
            .or_else(|| {
                cause
                    .downcast_ref::<io::Error>()
                    .and_then(|e| e.get_ref())
                    .and_then(|inner| inner.downcast_ref::<ServerBroke>())
            })
            .map(|broke| broke.started)
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::{CaseProcesses, Supervisor};
    use crate::cancel::Cancel;
    use crate::os::sandbox::Sandbox;

    fn resting(cores: usize) -> usize {
        let supervisor = Supervisor::with_sandbox(
            Cancel::new(),
            Arc::new(Sandbox::off()),
            CaseProcesses::Served,
            cores,
        );
        supervisor.shared.resting_servers
    }

    #[test]
    fn as_many_servers_rest_as_the_cores_given_at_least_two() {
        assert_eq!(resting(8), 8);
        assert_eq!(resting(3), 3);
        assert_eq!(resting(1), 2);
        assert_eq!(resting(0), 2);
    }

    /// A case a server forked may signal the checker before the checker has heard its pid:
    /// the child of a remembered process, leading its own group, is taken for a case, and
    /// its verdict will say so. Here this test's process plays the server.
    #[test]
    fn a_signal_from_a_served_case_not_yet_registered_is_the_case_s() {
        use std::os::unix::process::CommandExt as _;
        let supervisor = Supervisor::with_sandbox(
            Cancel::new(),
            Arc::new(Sandbox::off()),
            CaseProcesses::Served,
            2,
        );
        let mut case = std::process::Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .expect("sleep starts");
        let pid = case.id() as i32;
        assert!(
            !supervisor.signal_from_case(pid),
            "the child of a process the run does not know is not a case"
        );
        supervisor.remember(std::process::id() as i32);
        assert!(supervisor.signal_from_case(pid));
        assert!(
            super::super::locked(&supervisor.shared.signallers).contains(&pid),
            "noted under the case's pid, for its verdict"
        );
        let _ = case.kill();
        let _ = case.wait();
    }
}
