//! How a case's process starts ([`CaseProcesses`]: served or spawned) and what the supervisor
//! asks of either kind ([`CaseProcess`]).

use std::process::ExitStatus;
use std::time::Duration;

use crate::os;

/// The environment variable that, set to `spawn`, makes a run spawn every case rather than
/// fork it from a case server (Linux with Landlock), to compare both ways (`checker bench`).
pub const CASE_PROCESS_ENV: &str = "ASYNCLINGS_CASE_PROCESS";
/// How a run starts its cases' processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseProcesses {
    /// Forked from a warm case server where the OS allows it (Linux), spawned elsewhere or
    /// when no server can start: the default.
    Served,
    /// Every case spawned (`ASYNCLINGS_CASE_PROCESS=spawn`), to compare both ways.
    Spawned,
}

impl CaseProcesses {
    /// What this process's environment asks for ([`CASE_PROCESS_ENV`]): `Spawned` when it is
    /// `spawn`, else `Served`.
    pub fn from_env() -> Self {
        match std::env::var(CASE_PROCESS_ENV) {
            Ok(value) if value == "spawn" => Self::Spawned,
            _ => Self::Served,
        }
    }
}

/// A case's running process: spawned ([`os::Child`]) or forked by a case server.
pub(super) trait CaseProcess {
    /// Its process id, which is also its process group's.
    fn id(&self) -> u32;
    /// The handle that ends its whole tree.
    fn tree(&self) -> os::Tree;
    /// Its exit status if it ends within `limit`.
    fn wait_for(&mut self, limit: Duration) -> std::io::Result<Option<ExitStatus>>;
    /// Waits for it to end (its tree was killed).
    fn wait(&mut self) -> std::io::Result<ExitStatus>;
}

impl CaseProcess for os::Child {
    fn id(&self) -> u32 {
        os::Child::id(self)
    }
    fn tree(&self) -> os::Tree {
        os::Child::tree(self)
    }
    fn wait_for(&mut self, limit: Duration) -> std::io::Result<Option<ExitStatus>> {
        os::Child::wait_for(self, limit)
    }
    fn wait(&mut self) -> std::io::Result<ExitStatus> {
        os::Child::wait(self)
    }
}
