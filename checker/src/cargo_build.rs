//! Builds the runner of the code under test with cargo, and sorts compiler errors by file.
//!
//! The checker never links student code itself: a lesson that does not compile must not stop
//! the checker from starting and explaining what is wrong with which file.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;
use cargo_metadata::Message;
use cargo_metadata::diagnostic::DiagnosticLevel;

use crate::os::sandbox::{BuildAccess, Sandbox};

/// A compiler error, with the file it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The file of its primary span, relative to the workspace root.
    pub file: Option<String>,
    /// Line of the primary span.
    pub line: Option<usize>,
    /// The compiler's rendering of it, in full.
    pub rendered: String,
}

/// How a build went.
#[derive(Debug, Clone)]
pub enum Build {
    /// The runner binary is ready.
    Built(PathBuf),
    /// It does not compile.
    Failed {
        /// The compiler's errors, in the order it gave them.
        errors: Vec<CompileError>,
        /// Cargo's own output, for failures that are not compiler errors.
        cargo_output: String,
    },
}

/// Builds `bin` of `package` in the workspace at `root`, confined by `sandbox`: then it
/// cannot read the `hidden` folders of the workspace (spec directories, `solutions/`) nor
/// anything outside it but the toolchain, writes only `target/`, and has no network
/// (`--offline`: when a dependency is missing, an unconfined `cargo fetch`, which runs no
/// code of the workspace, gets it first).
pub fn build(
    root: &Path,
    package: &str,
    bin: &str,
    release: bool,
    color: bool,
    sandbox: &Sandbox,
    hidden: &[PathBuf],
) -> anyhow::Result<Build> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build = build_once(root, package, bin, release, color, sandbox, hidden, &cargo)?;
    if let Build::Failed { cargo_output, .. } = &build
        && sandbox.build_offline()
        && needs_download(cargo_output)
    {
        let fetched = Command::new(&cargo)
            .current_dir(root)
            .arg("fetch")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .context("cannot run cargo fetch")?;
        if fetched.success() {
            return build_once(root, package, bin, release, color, sandbox, hidden, &cargo);
        }
    }
    Ok(build)
}

/// Whether an offline build failed for want of a download.
fn needs_download(cargo_output: &str) -> bool {
    cargo_output.contains("--offline")
        || cargo_output.contains("offline mode")
        || cargo_output.contains("failed to download")
}

/// cargo's target directory for the workspace at `root` (`CARGO_TARGET_DIR`, or `target/`).
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

#[allow(clippy::too_many_arguments)]
fn build_once(
    root: &Path,
    package: &str,
    bin: &str,
    release: bool,
    color: bool,
    sandbox: &Sandbox,
    hidden: &[PathBuf],
    cargo: &std::ffi::OsString,
) -> anyhow::Result<Build> {
    let target = target_dir(root);
    let access = BuildAccess {
        root: root.to_path_buf(),
        hidden: hidden.to_vec(),
        target: target.clone(),
    };
    let mut command = sandbox
        .build_command(cargo, &access)
        .context("cannot sandbox the build")?;
    if sandbox.build_offline() {
        // Temporary files of the compilers and linker: in target/, the one place it writes.
        let tmp = target.join("sandbox-tmp");
        std::fs::create_dir_all(&tmp).context("cannot make target/sandbox-tmp")?;
        command.env("TMPDIR", &tmp);
    }
    command
        .current_dir(root)
        .args(["build", "--package", package, "--bin", bin])
        .arg(if color {
            "--message-format=json-diagnostic-rendered-ansi"
        } else {
            "--message-format=json"
        })
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if release {
        command.arg("--release");
    }
    if sandbox.build_offline() {
        command.arg("--offline");
    }
    let mut child = command
        .spawn()
        .context("cannot run cargo to build the code under test")?;
    let stderr = child.stderr.take().context("no stderr from cargo")?;
    let stderr_reader =
        std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let stdout = child.stdout.take().context("no stdout from cargo")?;
    let mut errors = Vec::new();
    let mut executable = None;
    for message in Message::parse_stream(BufReader::new(stdout)) {
        match message.context("cannot read cargo's output")? {
            Message::CompilerMessage(message)
                if message.message.level == DiagnosticLevel::Error =>
            {
                let primary = message.message.spans.iter().find(|s| s.is_primary);
                errors.push(CompileError {
                    file: primary.map(|s| s.file_name.clone()),
                    line: primary.map(|s| s.line_start),
                    rendered: message
                        .message
                        .rendered
                        .clone()
                        .unwrap_or(message.message.message.clone()),
                });
            }
            Message::CompilerArtifact(artifact) if artifact.target.name == bin => {
                executable = artifact.executable.map(|p| p.into_std_path_buf());
            }
            _ => {}
        }
    }
    let status = child.wait().context("cargo did not finish")?;
    let cargo_output = stderr_reader.join().unwrap_or_default();
    match executable {
        Some(path) if status.success() => Ok(Build::Built(path)),
        _ => {
            // The summary line ("could not compile ... due to N errors") is not a file's error.
            errors.retain(|e| e.file.is_some() || !e.rendered.starts_with("error: aborting"));
            Ok(Build::Failed {
                errors,
                cargo_output,
            })
        }
    }
}
