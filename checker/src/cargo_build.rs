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

use asynclings_runner::registry;

use crate::os::sandbox::{BuildAccess, Sandbox};
use crate::refuse;

/// A compiler error, with the file it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The file it is reported under, relative to the workspace root: its primary span's, or
    /// where the mistake is when rustc points there in a note (`crate::isolate`).
    pub file: Option<String>,
    /// Line in that file.
    pub line: Option<usize>,
    /// The compiler's rendering of it, in full.
    pub rendered: String,
    /// Its message alone (`future cannot be sent between threads safely`).
    pub message: String,
    /// Its code (`E0277`), when it has one.
    pub code: Option<String>,
    /// Every place it points at: its own spans, then its notes' and helps' (where rustc says
    /// *why*, which may be in another file than the error).
    pub spans: Vec<SpanAt>,
    /// A sentence for a beginner, above rustc's text, when the error is one students of this
    /// course often meet (`crate::isolate::explain`).
    pub explanation: Option<String>,
    /// rustc's message as cargo gave it, for reports that pass it on unchanged (an editor's
    /// diagnostics); `None` for errors the checker finds itself.
    pub compiler_message: Option<Box<cargo_metadata::CompilerMessage>>,
}

/// A place a compiler error points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanAt {
    /// File, as cargo gives it (relative to the workspace root, or absolute).
    pub file: String,
    /// First line, from 1.
    pub line: usize,
    /// Whether it is the error's primary span (not a note's).
    pub primary: bool,
    /// The text of its notes or labels there (`has type ThreadRng which is not Send`).
    pub label: Option<String>,
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

/// What to build: a runner binary of a package of the workspace, and how confined.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The workspace root.
    pub root: &'a Path,
    /// The package.
    pub package: &'a str,
    /// Its runner binary.
    pub bin: &'a str,
    /// The release profile rather than dev.
    pub release: bool,
    /// Compiler messages with ANSI colours.
    pub color: bool,
    /// The confinement of the build: with it, cargo cannot read the `hidden` folders of the
    /// workspace nor anything outside it but the toolchain, writes only `target/`, and has no
    /// network (`--offline`: when a dependency is missing, an unconfined `cargo fetch`, which
    /// runs no code of the workspace, gets it first).
    pub sandbox: &'a Sandbox,
    /// Folders of the workspace the build must not read (spec directories, `solutions/`).
    pub hidden: &'a [PathBuf],
    /// The package is code under test (a lesson crate): before cargo runs, its manifest must
    /// forbid unsafe code ([`refuse::check_crate_root`]) and each lesson file that is not
    /// stubbed is scanned for what would run outside a call ([`refuse::scan`]); a refused
    /// file fails like a compile error of its lesson. `false` only for the checker's own
    /// trusted packages (the corpus, the bench).
    pub untrusted: bool,
}

/// Builds what `request` names.
///
/// # Errors
/// cargo cannot be run, or its output cannot be read.
pub fn build(request: &Request<'_>) -> anyhow::Result<Build> {
    build_with_stubs(request, &[])
}

/// The environment variable that names the lessons to replace by stubs (read by the build
/// script of an implementation package, `runner/stubs_build.rs`).
pub const STUB_ENV: &str = "ASYNCLINGS_STUB_LESSONS";

/// [`build`], with the lessons `stubbed` replaced by stubs of their functions. Only the
/// package under test is rebuilt: the list reaches its build script alone, through
/// [`STUB_ENV`], so no dependency's fingerprint changes.
///
/// # Errors
/// As [`build`].
pub fn build_with_stubs(request: &Request<'_>, stubbed: &[String]) -> anyhow::Result<Build> {
    run_cargo(request, stubbed, "build")
}

/// Type-checks what `request` names with the lessons `stubbed` replaced by stubs, building no
/// binary: so a check never replaces the runner another run may be grading with. `Built` then
/// carries an empty path.
///
/// # Errors
/// As [`build`].
pub fn check_with_stubs(request: &Request<'_>, stubbed: &[String]) -> anyhow::Result<Build> {
    run_cargo(request, stubbed, "check")
}

/// `cargo build` or `cargo check` (`subcommand`) for `request`, fetching first when offline
/// and a dependency is missing.
fn run_cargo(request: &Request<'_>, stubbed: &[String], subcommand: &str) -> anyhow::Result<Build> {
    if request.untrusted {
        refuse::check_crate_root(request.root, request.package)?;
        let errors = refused_lessons(request, stubbed);
        if !errors.is_empty() {
            return Ok(Build::Failed {
                errors,
                cargo_output: String::new(),
            });
        }
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build = build_once(request, stubbed, &cargo, subcommand)?;
    if let Build::Failed { cargo_output, .. } = &build
        && request.sandbox.build_offline()
        && needs_download(cargo_output)
    {
        let fetched = Command::new(&cargo)
            .current_dir(request.root)
            .arg("fetch")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .context("cannot run cargo fetch")?;
        if fetched.success() {
            return build_once(request, stubbed, &cargo, subcommand);
        }
    }
    Ok(build)
}

/// The refusals of the package's lesson files that are not `stubbed`, each a compile error of
/// its file (paths relative to the workspace root, as cargo gives them). The lesson files are
/// the registry's (`course.toml`); without a registry, every `.rs` file of `src/` but `lib.rs`.
fn refused_lessons(request: &Request<'_>, stubbed: &[String]) -> Vec<CompileError> {
    let src = format!("{}/src", request.package);
    let registry = std::fs::read_to_string(request.root.join(registry::FILE_NAME))
        .ok()
        .and_then(|text| toml::from_str::<registry::Registry>(&text).ok());
    let files: Vec<String> = match registry {
        Some(registry) => registry
            .lessons
            .iter()
            .filter(|lesson| !stubbed.contains(&lesson.id))
            .map(|lesson| lesson.file.clone())
            .collect(),
        None => std::fs::read_dir(request.root.join(&src))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| name.ends_with(".rs") && name != "lib.rs")
            .collect(),
    };
    let mut errors = Vec::new();
    for name in files {
        let file = format!("{src}/{name}");
        let Ok(text) = std::fs::read_to_string(request.root.join(&file)) else {
            continue;
        };
        for refusal in refuse::scan(&text) {
            errors.push(CompileError {
                file: Some(file.clone()),
                line: Some(refusal.line),
                rendered: refusal.rendered(&file, &text),
                message: refusal.message(),
                code: Some(refuse::REFUSED_CODE.to_string()),
                spans: vec![SpanAt {
                    file: file.clone(),
                    line: refusal.line,
                    primary: true,
                    label: Some(refusal.construct.clone()),
                }],
                explanation: None,
                compiler_message: None,
            });
        }
    }
    errors
}

/// Whether an offline build failed for want of a download.
fn needs_download(cargo_output: &str) -> bool {
    cargo_output.contains("--offline")
        || cargo_output.contains("offline mode")
        || cargo_output.contains("failed to download")
}

/// The package whose runner is `runner` (`corpus` for `.../corpus-runner`), when its name
/// says (`PACKAGE-runner`, with `.exe` on Windows).
pub fn package_of_runner(runner: &Path) -> Option<String> {
    let stem = runner.file_stem()?.to_str()?;
    stem.strip_suffix("-runner").map(str::to_string)
}

/// cargo's target directory for the workspace at `root` (`CARGO_TARGET_DIR`, or `target/`).
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// One run of `cargo build` (or `check`) for `request`, confined as it says.
fn build_once(
    request: &Request<'_>,
    stubbed: &[String],
    cargo: &std::ffi::OsString,
    subcommand: &str,
) -> anyhow::Result<Build> {
    let Request {
        root,
        package,
        bin,
        release,
        color,
        sandbox,
        hidden,
        untrusted: _,
    } = *request;
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
        .args([subcommand, "--package", package, "--bin", bin])
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
    // One runner serves grading and recording: it is built with its `timeline` feature (tokio's
    // tracing, which needs the seeded flags' `tokio_unstable`), and records a call only when
    // its request says so (`CaseRequest::record`). No build of the code under test differs
    // from another, so lesson code cannot tell a recorded call from a graded one by a cfg,
    // and the first failing timing case costs no second build.
    command.args(["--features", "asynclings-runner/timeline"]);
    command.env(STUB_ENV, stubbed.join(","));
    // The cfgs that let the runner seed the code's draws (and `tokio_unstable`), wherever the
    // workspace lives; encoded flags would override RUSTFLAGS.
    command
        .env("RUSTFLAGS", crate::seed::rustflags())
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
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
                let diagnostic = &message.message;
                let primary = diagnostic.spans.iter().find(|s| s.is_primary);
                errors.push(CompileError {
                    file: primary.map(|s| s.file_name.clone()),
                    line: primary.map(|s| s.line_start),
                    rendered: diagnostic
                        .rendered
                        .clone()
                        .unwrap_or(diagnostic.message.clone()),
                    message: diagnostic.message.clone(),
                    code: diagnostic.code.as_ref().map(|c| c.code.clone()),
                    spans: spans_of(diagnostic),
                    explanation: None,
                    compiler_message: Some(Box::new(message.clone())),
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
        None if status.success() && subcommand == "check" => Ok(Build::Built(PathBuf::new())),
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

/// Every span of `diagnostic`, its own first, then its children's (notes, helps).
fn spans_of(diagnostic: &cargo_metadata::diagnostic::Diagnostic) -> Vec<SpanAt> {
    let own = diagnostic.spans.iter().map(|span| SpanAt {
        file: span.file_name.clone(),
        line: span.line_start,
        primary: span.is_primary,
        label: span.label.clone(),
    });
    let children = diagnostic.children.iter().flat_map(|child| {
        child.spans.iter().map(move |span| SpanAt {
            file: span.file_name.clone(),
            line: span.line_start,
            primary: false,
            label: Some(span.label.clone().unwrap_or_else(|| child.message.clone())),
        })
    });
    own.chain(children).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_of_a_runner_is_its_name_without_the_suffix() {
        assert_eq!(
            package_of_runner(Path::new("target/debug/corpus-runner")).as_deref(),
            Some("corpus")
        );
        assert_eq!(package_of_runner(Path::new("runner")), None);
    }
}
