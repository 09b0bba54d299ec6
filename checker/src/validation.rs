//! Checking spec files (`checker validate [DIR...]`, and `checker verify`): checks them without running any case, and reports every
//! problem at once, each with its file, line, column and snippet.
//!
//! Several directories are read as grading reads them: a lesson may have one spec per
//! directory, its cases merged (a private directory of hidden cases beside `specs/`), so a case
//! name used in two of them is a problem, shown with both places.
//!
//! Beyond what the loader checks (TOML syntax, keys, types, expressions and the names they
//! read, duplicate cases), it checks each spec against the reference's binding table: the
//! lesson and functions exist, and each case gives exactly the arguments its function takes.

use std::path::PathBuf;

use annotate_snippets::Renderer;
use asynclings_runner::protocol::FunctionInfo;

use crate::cancel::Cancel;
use crate::cargo_build::{self, Build};
use crate::spec::{self, Checked, Locator, SpecError};
use crate::supervise::{Runner, Supervisor};

/// What validating a set of spec directories found.
#[derive(Debug)]
pub struct Validation {
    /// Every file, checked.
    pub files: Vec<Checked>,
    /// Whether the specs were checked against a binding table.
    pub fitted: bool,
}

impl Validation {
    /// Every problem, file by file.
    pub fn problems(&self) -> impl Iterator<Item = &SpecError> {
        self.files.iter().flat_map(|f| &f.errors)
    }

    /// The cases of every spec that loaded.
    pub fn cases(&self) -> usize {
        self.files
            .iter()
            .filter_map(|f| f.lesson.as_ref())
            .map(|l| l.cases.len())
            .sum()
    }
}

/// Checks the specs of `dirs`, and against `manifest` when given.
pub fn validate(dirs: &[PathBuf], manifest: Option<&[FunctionInfo]>) -> anyhow::Result<Validation> {
    let mut files = spec::check_dirs(dirs)?;
    if let Some(manifest) = manifest {
        for file in &mut files {
            let Some(raw) = &file.raw else { continue };
            let mut locator = Locator::new(&file.path, &file.text);
            spec::fit::check(raw, manifest, &mut locator);
            if !locator.errors.is_empty() {
                file.lesson = None;
            }
            file.errors.append(&mut locator.errors);
            file.errors.sort_by_key(|e| (e.line, e.column));
        }
    }
    Ok(Validation {
        files,
        fitted: manifest.is_some(),
    })
}

/// What building the reference gave ([`reference_manifest`]).
#[derive(Debug, Clone)]
pub enum Manifest {
    /// It built: its runner's binding table.
    Built(Vec<FunctionInfo>),
    /// It did not: the compiler's errors (cargo's output when it named none), for people.
    DidNotBuild(String),
}

/// The reference's binding table: builds the solutions' runner (in the workspace `root`,
/// compiler messages coloured with `color`) and asks it, supervised as on a machine of
/// `cores` cores (the `Machine`'s, read once by the command).
///
/// # Errors
/// Cargo or the runner cannot be run. A reference that does not compile is not an error:
/// [`Manifest::DidNotBuild`].
pub fn reference_manifest(
    root: &std::path::Path,
    color: bool,
    cores: usize,
) -> anyhow::Result<Manifest> {
    let request = cargo_build::Request {
        root,
        package: "solutions",
        bin: "solutions-runner",
        release: false,
        color,
        sandbox: &crate::os::sandbox::Sandbox::off(),
        hidden: &[],
        untrusted: true,
    };
    match cargo_build::build(&request)? {
        Build::Built(path) => {
            let runner = Runner {
                path,
                variant: None,
            };
            Ok(Manifest::Built(
                Supervisor::new(Cancel::new(), cores).read_manifest(&runner)?,
            ))
        }
        Build::Failed {
            errors,
            cargo_output,
        } => {
            let shown: Vec<String> = errors.iter().map(|e| e.rendered.clone()).collect();
            Ok(Manifest::DidNotBuild(if shown.is_empty() {
                cargo_output
            } else {
                shown.join("\n")
            }))
        }
    }
}

/// The report: every problem, then a summary line.
pub fn render(validation: &Validation, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut out = String::new();
    for problem in validation.problems() {
        // Paths as the reader typed them: relative to where the command runs.
        let mut shown = problem.clone();
        if let Ok(relative) = problem.path.strip_prefix(&cwd) {
            shown.path = relative.to_path_buf();
        }
        out.push_str(&shown.render(&renderer));
        out.push_str("\n\n");
    }
    let problems = validation.problems().count();
    let files = validation.files.len();
    let bad_files = validation
        .files
        .iter()
        .filter(|f| !f.errors.is_empty())
        .count();
    let cases = validation.cases();
    let against = if validation.fitted {
        "checked against the reference's functions"
    } else {
        "not checked against any functions (--no-build)"
    };
    if problems == 0 {
        out.push_str(&format!(
            "{files} spec file(s), {cases} case(s): no problems ({against})\n"
        ));
    } else {
        out.push_str(&format!(
            "{problems} problem(s) in {bad_files} of {files} spec file(s) ({against})\n"
        ));
    }
    out
}
