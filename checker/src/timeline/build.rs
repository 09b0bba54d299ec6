//! Builds the timeline runner: the implementation under test with `--cfg tokio_unstable` and
//! the runner's `timeline` feature, in `target/timeline`.
//!
//! The cfg changes rustc's flags, so every dependency is compiled again for it: in a target
//! directory of its own that happens once (tokio and friends, about a minute on two busy
//! cores; `docs/timeline.md`), and the normal `target/debug` is never invalidated, so the
//! student's `cargo build` and `cargo test` stay as fast as before.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;
use cargo_metadata::Message;

/// The target directory of timeline builds: `timeline/` inside the workspace's own.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir).join("timeline"),
        _ => root.join("target").join("timeline"),
    }
}

/// The package whose runner is `runner` (`corpus` for `.../corpus-runner`).
pub fn package_of_runner(runner: &Path) -> Option<String> {
    let stem = runner.file_stem()?.to_str()?;
    stem.strip_suffix("-runner").map(str::to_string)
}

/// Builds the timeline runner of `package`; returns its path, or why it failed.
pub fn build(root: &Path, package: &str, release: bool) -> anyhow::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let bin = format!("{package}-runner");
    // The normal build's flags (tokio_unstable among them, and the seeded draws', so that
    // a timeline shows the values the report shows).
    let rustflags = crate::seed::rustflags();
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["build", "--package", package, "--bin", &bin])
        .args(["--features", "asynclings-runner/timeline"])
        .arg("--message-format=json")
        .env("CARGO_TARGET_DIR", target_dir(root))
        .env("RUSTFLAGS", rustflags)
        // Encoded flags would override RUSTFLAGS.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if release {
        command.arg("--release");
    }
    let mut child = command
        .spawn()
        .context("cannot run cargo to build the timeline runner")?;
    let stderr = child.stderr.take().context("no stderr from cargo")?;
    let stderr_reader =
        std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let stdout = child.stdout.take().context("no stdout from cargo")?;
    let mut executable = None;
    for message in Message::parse_stream(std::io::BufReader::new(stdout)) {
        if let Message::CompilerArtifact(artifact) =
            message.context("cannot read cargo's output")?
            && artifact.target.name == bin
        {
            executable = artifact.executable.map(|p| p.into_std_path_buf());
        }
    }
    let status = child.wait().context("cargo did not finish")?;
    let output = stderr_reader.join().unwrap_or_default();
    match executable {
        Some(path) if status.success() => Ok(path),
        _ => anyhow::bail!(
            "the timeline runner of {package} does not build (grade it first to see why):\n{}",
            output
                .lines()
                .rev()
                .take(20)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}
