//! `checker validate [DIR...]`: checks spec files without running any case, and reports every
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
use clap::Args;

use crate::cancel::Cancel;
use crate::cargo_build::{self, Build};
use crate::exit;
use crate::report::style::ColorChoice;
use crate::spec::{self, Checked, Locator, SpecError};
use crate::supervise::{Runner, Supervisor};

/// Options of `checker validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Spec directories to check (default: `specs/` of the workspace).
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Check functions and arguments against this runner's binding table instead of building
    /// the reference solutions' runner.
    #[arg(long, value_name = "PATH", conflicts_with = "no_build")]
    pub runner: Option<PathBuf>,

    /// Do not build anything: skip the checks that need the binding table (lesson and
    /// function names, arguments).
    #[arg(long)]
    pub no_build: bool,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

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

/// The reference's binding table: builds the solutions' runner and asks it. `Err` carries the
/// compiler's errors when it does not build.
pub fn reference_manifest(
    root: &std::path::Path,
    color: bool,
) -> anyhow::Result<Result<Vec<FunctionInfo>, String>> {
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
            Ok(Ok(Supervisor::new(Cancel::new()).read_manifest(&runner)?))
        }
        Build::Failed {
            errors,
            cargo_output,
        } => {
            let shown: Vec<String> = errors.iter().map(|e| e.rendered.clone()).collect();
            Ok(Err(if shown.is_empty() {
                cargo_output
            } else {
                shown.join("\n")
            }))
        }
    }
}

/// Runs `checker validate`.
pub fn run(args: &ValidateArgs) -> anyhow::Result<u8> {
    let root = crate::workspace::root()?;
    let dirs = crate::spec::spec_dirs(&root, &args.dirs);
    let color = args.color.enabled();
    let manifest = if args.no_build {
        None
    } else if let Some(path) = &args.runner {
        Some(Supervisor::new(Cancel::new()).read_manifest(&Runner {
            path: path.clone(),
            variant: None,
        })?)
    } else {
        match reference_manifest(&root, color)? {
            Ok(manifest) => Some(manifest),
            Err(compiler) => {
                eprintln!("{compiler}");
                eprintln!(
                    "checker: the reference solutions do not build, so the specs cannot be checked against their functions"
                );
                return Ok(exit::BUILD);
            }
        }
    };
    let validation = validate(&dirs, manifest.as_deref())?;
    crate::report::output::write_stdout(&render(&validation, color))?;
    Ok(if validation.problems().next().is_some() {
        exit::USAGE
    } else {
        exit::PASS
    })
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
    let cases: usize = validation
        .files
        .iter()
        .filter_map(|f| f.lesson.as_ref())
        .map(|l| l.cases.len())
        .sum();
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
