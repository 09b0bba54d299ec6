//! What a case's process is given: its scratch folder (removed whatever the case did to it),
//! the run's secret, its command (confinement, environment, standard streams); and the end of
//! its stderr, read back.

use std::fs::File;
use std::io::Write as _;
use std::io::{Read, Seek, SeekFrom};
use std::process::{Command, Stdio};

use crate::os;
use crate::os::sandbox::{Confinement, Sandbox};

use super::{KEPT_ENV, Runner, message};

/// A case's scratch folder, removed when dropped, whatever the case did to it (closed
/// folders, read-only files, a tree deeper than a path can name); a removal that fails is
/// said on stderr: the space it holds must not go unnoticed.
pub(super) struct Scratch(pub(super) Option<tempfile::TempDir>);

impl Scratch {
    pub(super) fn path(&self) -> &std::path::Path {
        self.0
            .as_ref()
            .map_or(std::path::Path::new(""), tempfile::TempDir::path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let Some(dir) = self.0.take() else { return };
        let path = dir.keep();
        if let Err(error) = os::scratch::remove(&path) {
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                message::scratch_not_removed(&path.display().to_string(), &error.to_string())
            );
        }
    }
}

/// A run's secret: 128 random bits, in hex; a case's report must carry it.
pub(super) fn new_secret() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// A command for `runner` with what every case gets: `sandbox`'s confinement (returned beside
/// it, for [`os::spawn`] to apply last), only
/// [`KEPT_ENV`] of the environment (and the variant), stdin closed, `stderr` as its stderr,
/// `scratch` as its working directory and its temporary folder (where the runner keeps the
/// stdout it captures: the only place the sandbox lets it write).
pub(super) fn case_command(
    sandbox: &Sandbox,
    runner: &Runner,
    scratch: &std::path::Path,
    stderr: &File,
) -> anyhow::Result<(Command, Confinement)> {
    let (mut command, confinement) = sandbox
        .case_command(&runner.path, scratch)
        .map_err(|e| anyhow::anyhow!("cannot sandbox {}: {e}", runner.path.display()))?;
    command.env_clear();
    for name in KEPT_ENV {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    for name in ["TMPDIR", "TMP", "TEMP"] {
        command.env(name, scratch);
    }
    command
        .stdin(Stdio::null())
        .stderr(stderr.try_clone()?)
        .current_dir(scratch);
    if let Some(variant) = &runner.variant {
        command.env(asynclings_runner::VARIANT_ENV, variant);
    }
    Ok((command, confinement))
}

/// The last `cap` bytes of `file` (its end: where panics and aborts are), lossily as UTF-8.
pub(super) fn read_tail(file: &mut File, cap: u64) -> String {
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(cap)));
    let mut bytes = Vec::new();
    let _ = file.take(cap).read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}
