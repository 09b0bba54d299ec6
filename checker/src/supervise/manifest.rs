//! The runner's manifest (what it can call), read by running it as a case is run.

use std::io::{Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

use asynclings_runner::protocol::FunctionInfo;

use super::budget::Watch;
use super::{
    Runner, STDERR_CAP, Scratch, Supervisor, Waited, case_command, locked, message, read_tail,
};
use crate::os;

impl Supervisor {
    /// Asks the runner what it can call, running it in the sandbox of a case: the runner is
    /// built from student code, and `--manifest` runs it as much as `--case` does.
    ///
    /// # Errors
    /// The runner cannot be run, gives no answer within 20 s, or prints no manifest.
    pub fn read_manifest(&self, runner: &Runner) -> anyhow::Result<Vec<FunctionInfo>> {
        let stdout = self
            .run_manifest(runner, Duration::from_secs(20))
            .map_err(|e| {
                anyhow::anyhow!("cannot run {} --manifest: {e:#}", runner.path.display())
            })?;
        serde_json::from_slice(&stdout).map_err(|e| {
            anyhow::anyhow!(
                "{} --manifest printed no manifest: {e}",
                runner.path.display()
            )
        })
    }

    /// What `runner --manifest` printed: run like a case (`case_command`), for at most
    /// `limit`, its whole tree ended afterwards. Fails when it cannot start, was interrupted,
    /// did not finish in time, or did not succeed (with the end of its stderr).
    ///
    /// # Errors
    /// As said: each with what went wrong.
    pub fn run_manifest(&self, runner: &Runner, limit: Duration) -> anyhow::Result<Vec<u8>> {
        let scratch = Scratch(Some(self.shared.sandbox.scratch()?));
        let result = os::ResultChannel::new()?;
        let mut stdout = tempfile::tempfile()?;
        let mut stderr = tempfile::tempfile()?;
        let (mut command, confinement) =
            case_command(&self.shared.sandbox, runner, scratch.path(), &stderr)?;
        command.arg("--manifest").stdout(stdout.try_clone()?);
        let Some(mut child) =
            self.spawn_registered(command, confinement, &result, limit.as_secs() + 1, runner)?
        else {
            anyhow::bail!("the run was interrupted");
        };
        let mut watch = Watch::new(scratch.path(), [&stderr, result.file()], Instant::now());
        let waited = self.wait_until(
            &mut child,
            Instant::now() + limit,
            &mut false,
            Some(&mut watch),
        );
        child.tree().kill();
        locked(&self.shared.live).remove(&child.id());
        drop(scratch);
        let status = match waited? {
            Waited::Exited(status) => status,
            Waited::TimedOut => anyhow::bail!("no answer within {} s", limit.as_secs()),
            Waited::Exceeded(what) => anyhow::bail!("{}", message::over_budget(&what)),
        };
        if !status.success() {
            anyhow::bail!(
                "it ended with {}: {}",
                os::Ending::of(status),
                read_tail(&mut stderr, STDERR_CAP).trim()
            );
        }
        let mut bytes = Vec::new();
        stdout.seek(SeekFrom::Start(0))?;
        stdout.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}
