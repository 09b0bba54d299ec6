//! `checker verify`: the instructor's check of the whole course, like a linter.
//!
//! 1. The specs validate (as `checker validate`, against the reference's binding table).
//! 2. The reference solutions pass every case.
//! 3. The exercise stubs fail every case as "not implemented yet".
//! 4. Each lesson has a hint (in its spec) and instructions (the `//!` doc of its exercise
//!    file, with a `## What to write` section).
//! 5. Every spec key in use is documented in `docs/specs.md`.
//! 6. The lesson registry (`course.toml`) declares exactly the specs' lessons, with their
//!    files, and the exercises build with every lesson replaced by its stub (what grading does
//!    when a lesson file does not compile).
//! 7. No diagnosis names a construct, in backticks, that the reference does not use unless its
//!    `cause` lists it (`crate::grade::grounding`).
//! 8. The student template (`checker template`) holds no solutions and no hidden case, and
//!    compiles (`cargo check`; `checker/tests/it/template.rs` builds and runs it).
//!
//! It warns, without failing, when a mistake of the corpus (`corpus/src/mistakes/`) passes
//! every case of the lessons it replaces: the specs do not catch it (`--no-corpus` skips this).
//!
//! Exit status: 0 when all hold, 1 with the list of what does not, 2 when the specs have
//! problems (nothing is run then), 3 when the reference does not build
//! or cargo cannot be run.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::exit::{self, Error, ResultExt as _};
use crate::options::GradeArgs;
use crate::report::style::{ColorChoice, Style};
use crate::results::{LessonResult, Status};
use crate::session::Session;
use crate::spec::docs;
use crate::validation::{self as validate, Validation};

/// The heading the instructions of every lesson file must have.
pub const INSTRUCTIONS_HEADING: &str = "## What to write";

/// Options of `checker verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// Spec directory (default: `specs/` of the workspace); may be given several times.
    #[arg(long = "specs", value_name = "DIR")]
    pub specs: Vec<PathBuf>,

    /// Cases run at once (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Do not grade the corpus's mistakes (they are graded to warn about a mistake that
    /// passes every case of its lesson).
    #[arg(long)]
    pub no_corpus: bool,
}

/// One check of the list, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What is checked.
    pub what: String,
    /// Each problem found; empty when the check holds.
    pub problems: Vec<String>,
}

/// The registry declares the specs' lessons, each with its spec's file, and every lesson's
/// stub builds.
///
/// # Errors
/// cargo cannot be run ([`Error::Build`], exit status 3).
pub fn registry_check(validation: &Validation, root: &Path, color: bool) -> Result<Check, Error> {
    let what = format!(
        "the lesson registry ({}) matches the specs, and every lesson's stub builds",
        asynclings_runner::registry::FILE_NAME
    );
    let registry = match crate::isolate::load_registry(root) {
        Ok(registry) => registry,
        Err(error) => {
            return Ok(Check {
                what,
                problems: vec![format!("{error:#}")],
            });
        }
    };
    let mut problems = Vec::new();
    let specs = first_specs(validation);
    for spec in &specs {
        match registry.lesson(&spec.id) {
            None => problems.push(format!(
                "lesson {} is specified ({}) but not in the registry: add its [[lesson]] entry",
                spec.id,
                crate::grade::shown(&spec.spec_path, root)
            )),
            Some(entry) if entry.file != spec.file => problems.push(format!(
                "lesson {}: the registry says file `{}`, its spec says `{}`",
                spec.id, entry.file, spec.file
            )),
            Some(_) => {}
        }
    }
    for entry in &registry.lessons {
        if !specs.iter().any(|s| s.id == entry.id) {
            problems.push(format!(
                "lesson {} is in the registry but has no spec",
                entry.id
            ));
        }
    }
    let all: Vec<String> = registry.lessons.iter().map(|l| l.id.clone()).collect();
    let request = crate::cargo_build::Request {
        root,
        package: "exercises",
        bin: "exercises-runner",
        release: false,
        color,
        // The course's own stubs, built in the instructor's workspace.
        sandbox: &crate::os::sandbox::Sandbox::off(),
        hidden: &[],
        untrusted: true,
    };
    // Type-checked only: a build would replace the runner another run may be grading with.
    let build = crate::cargo_build::check_with_stubs(&request, &all).or_fail(Error::Build)?;
    if let crate::cargo_build::Build::Failed {
        errors,
        cargo_output,
    } = build
    {
        let first = errors.first().map_or(cargo_output, |e| e.rendered.clone());
        problems.push(format!(
            "the exercises do not build with every lesson stubbed: {}",
            first.trim()
        ));
    }
    Ok(Check { what, problems })
}

/// Grades one implementation package with the given specs; `None` when it does not build.
fn grade(package: &str, args: &VerifyArgs) -> Result<Option<Vec<LessonResult>>, Error> {
    let grading = GradeArgs {
        package: Some(package.to_string()),
        specs: args.specs.clone(),
        jobs: args.jobs,
        color: ColorChoice::Never,
        ..GradeArgs::default()
    };
    let session = Session::new(&grading)?;
    let graded = session.grade(&|_| {})?;
    Ok((graded.exit != exit::BUILD).then_some(graded.results))
}

/// The corpus's mistakes that pass every case of the lessons they replace, each as a warning:
/// the specs do not catch that mistake. Nothing when the course has no corpus.
///
/// # Errors
/// The corpus's headers cannot be read, or cargo cannot be run.
pub fn corpus_warnings(root: &Path, args: &VerifyArgs) -> Result<Vec<String>, Error> {
    if !root.join("corpus/src/mistakes").is_dir() {
        return Ok(Vec::new());
    }
    let entries = crate::corpus::entries(root, "mistakes").or_fail(Error::Spec)?;
    let request = crate::cargo_build::Request {
        root,
        package: "corpus",
        bin: "corpus-runner",
        release: false,
        color: false,
        // The course's own corpus, built in the instructor's workspace: trusted (its hostile
        // entries are unsafe on purpose).
        sandbox: &crate::os::sandbox::Sandbox::off(),
        hidden: &[],
        untrusted: false,
    };
    let runner = match crate::cargo_build::build(&request).or_fail(Error::Build)? {
        crate::cargo_build::Build::Built(path) => path,
        crate::cargo_build::Build::Failed { errors, .. } => {
            let first = errors.first().map_or(String::new(), |e| e.rendered.clone());
            return Ok(vec![format!(
                "the corpus does not build, so its mistakes were not tried: {}",
                first.trim()
            )]);
        }
    };
    let mut warnings = Vec::new();
    for entry in &entries {
        let mut caught = false;
        let mut graded = 0;
        for lesson in &entry.lessons {
            let grading = GradeArgs {
                lesson: Some(lesson.clone()),
                runner: Some(runner.clone()),
                variant: Some(entry.variant.clone()),
                specs: args.specs.clone(),
                jobs: args.jobs,
                color: ColorChoice::Never,
                // The course's own corpus, in the instructor's workspace, as it was built.
                sandbox: Some(crate::os::sandbox::Mode::Off),
                ..GradeArgs::default()
            };
            let Ok(session) = Session::new(&grading) else {
                // A lesson the specs do not have: nothing to catch it with.
                continue;
            };
            let results = session.grade(&|_| {})?.results;
            graded += results.iter().map(|l| l.cases.len()).sum::<usize>();
            caught |= results
                .iter()
                .flat_map(|l| &l.cases)
                .any(|case| case.status != Status::Pass);
        }
        if graded > 0 && !caught {
            warnings.push(format!(
                "corpus mistake {} ({}) passes every case of lesson {}: no case or assert catches it",
                entry.variant,
                entry.mistake.trim_end_matches('.'),
                entry.lessons.join(", ")
            ));
        }
    }
    Ok(warnings)
}

/// The reference passes every case; a lesson whose reference is still a stub says so once.
pub fn reference_check(results: &[LessonResult]) -> Check {
    let mut problems = Vec::new();
    for lesson in results {
        let stubbed = lesson
            .cases
            .iter()
            .filter(|c| c.status == Status::NotImplemented)
            .count();
        if stubbed > 0 {
            problems.push(format!(
                "lesson {}: the reference solution is not written yet: replace the todo!() in {}",
                lesson.id, lesson.file
            ));
        }
        for case in &lesson.cases {
            if matches!(case.status, Status::Pass | Status::NotImplemented) {
                continue;
            }
            let mut problem = format!(
                "lesson {}, case \"{}\": the reference does not pass: {}",
                lesson.id,
                case.name,
                case.message.lines().next().unwrap_or("")
            );
            if let Some(diagnosis) = &case.diagnosis {
                problem.push_str(&format!(" ({diagnosis})"));
            }
            problems.push(problem);
        }
    }
    Check {
        what: "the reference solutions pass every case".into(),
        problems,
    }
}

/// Every case of the stubs fails as "not implemented yet".
pub fn stubs_check(results: &[LessonResult]) -> Check {
    let problems = results
        .iter()
        .flat_map(|lesson| {
            lesson
                .cases
                .iter()
                .filter(|c| c.status != Status::NotImplemented)
                .map(move |case| {
                    format!(
                        "lesson {}, case \"{}\": the stub in {} is graded {:?}, not \"not implemented yet\"{}",
                        lesson.id,
                        case.name,
                        lesson.file,
                        case.status,
                        first_line(&case.message)
                    )
                })
        })
        .collect();
    Check {
        what: "the exercise stubs fail every case as \"not implemented yet\"".into(),
        problems,
    }
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .next()
        .filter(|l| !l.is_empty())
        .map_or(String::new(), |l| format!(": {l}"))
}

/// The `//!` documentation at the top of a Rust file, one line per doc line. A
/// `#![doc = include_str!(...)]` line among them (a lesson's timeline picture) is read past.
pub fn inner_doc(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim_start)
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with("//!") || l.starts_with("#![doc"))
        .filter(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim())
        .collect()
}

/// The lessons of `validation`, each once: a lesson specified in several directories is graded
/// with the title, file and hint of its first spec (the others only add cases).
pub fn first_specs(validation: &Validation) -> Vec<&crate::spec::Lesson> {
    let mut seen = std::collections::HashSet::new();
    validation
        .files
        .iter()
        .filter_map(|f| f.lesson.as_ref())
        .filter(|lesson| seen.insert(lesson.id.as_str()))
        .collect()
}

/// Each lesson has a hint in its spec and instructions at the top of its exercise file.
pub fn lessons_check(validation: &Validation, exercises_src: &Path, root: &Path) -> Check {
    let mut problems = Vec::new();
    for lesson in first_specs(validation) {
        if lesson.hint.trim().is_empty() {
            problems.push(format!(
                "lesson {}: the hint in {} is empty",
                lesson.id,
                crate::grade::shown(&lesson.spec_path, root)
            ));
        }
        let path = exercises_src.join(&lesson.file);
        let shown = crate::grade::shown(&path, root);
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(format!("lesson {}: cannot read {shown}", lesson.id));
            continue;
        };
        let doc = inner_doc(&text);
        if doc.iter().all(|l| l.is_empty()) {
            problems.push(format!(
                "lesson {}: {shown} has no instructions (a `//!` comment at its top)",
                lesson.id
            ));
        } else if !doc.contains(&INSTRUCTIONS_HEADING) {
            problems.push(format!(
                "lesson {}: the instructions in {shown} have no `{INSTRUCTIONS_HEADING}` section",
                lesson.id
            ));
        }
    }
    Check {
        what: "every lesson has a hint and instructions".into(),
        problems,
    }
}

/// Every key the specs use is a row of its section of the reference.
pub fn documented_check(validation: &Validation, reference: &Path, root: &Path) -> Check {
    let what = format!("every spec key in use is documented in {}", docs::REFERENCE);
    let markdown = match std::fs::read_to_string(reference) {
        Ok(markdown) => markdown,
        Err(error) => {
            return Check {
                what,
                problems: vec![format!("cannot read {}: {error}", reference.display())],
            };
        }
    };
    let documented = docs::documented(&markdown);
    let mut problems = Vec::new();
    for file in &validation.files {
        for used in &file.keys {
            if documented
                .get(&used.section)
                .is_some_and(|keys| keys.contains(&used.key))
            {
                continue;
            }
            let at = spec_location(&file.text, used.span.start);
            problems.push(format!(
                "{}:{at}: `{}` is not documented in the section \"{}\" of {}",
                crate::grade::shown(&file.path, root),
                used.key,
                used.section.heading(),
                docs::REFERENCE
            ));
        }
    }
    Check { what, problems }
}

/// `line:column` of a byte offset.
fn spec_location(text: &str, offset: usize) -> String {
    let offset = crate::spec::floor_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("{line}:{column}")
}

/// The checklist, as printed, and the warnings under it.
pub fn render(checks: &[Check], warnings: &[String], style: Style) -> String {
    let mut out = String::new();
    for check in checks {
        if check.problems.is_empty() {
            out.push_str(&format!("{} {}\n", style.good("ok  "), check.what));
        } else {
            out.push_str(&format!("{} {}\n", style.bad("FAIL"), check.what));
            for problem in &check.problems {
                out.push_str(&format!("       - {problem}\n"));
            }
        }
    }
    for warning in warnings {
        out.push_str(&format!("{} {warning}\n", style.warn("warn")));
    }
    let failing: usize = checks.iter().map(|c| c.problems.len()).sum();
    if failing == 0 {
        out.push_str("\nThe course is consistent.\n");
    } else {
        out.push_str(&format!("\n{failing} problem(s) to fix.\n"));
    }
    out
}

/// Runs `checker verify`.
pub fn run(args: &VerifyArgs) -> Result<u8, crate::exit::Error> {
    let root = crate::workspace::root()?;
    let machine = crate::options::Machine::detect();
    let (style, _) = crate::options::stdout_of(args.color, &machine);
    let dirs = crate::spec::spec_dirs(&root, &args.specs);
    let manifest = match validate::reference_manifest(&root, style.color, machine.cores)
        .or_fail(Error::Build)?
    {
        validate::Manifest::Built(manifest) => manifest,
        validate::Manifest::DidNotBuild(compiler) => {
            eprintln!("{compiler}");
            eprintln!("checker: the reference solutions do not build");
            return Ok(exit::BUILD);
        }
    };
    let validation = validate::validate(&dirs, Some(&manifest)).or_fail(Error::Spec)?;
    if validation.problems().next().is_some() {
        crate::report::output::write_stdout(&validate::render(&validation, style.color))?;
        eprintln!("checker: the specs have problems; nothing was run");
        return Ok(exit::USAGE);
    }
    let cases = validation.cases();
    let mut checks = vec![Check {
        what: format!(
            "the specs are valid ({} lessons, {cases} cases)",
            first_specs(&validation).len()
        ),
        problems: Vec::new(),
    }];
    checks.push(match grade("solutions", args)? {
        Some(results) => reference_check(&results),
        None => Check {
            what: "the reference solutions pass every case".into(),
            problems: vec!["the reference solutions do not build".into()],
        },
    });
    checks.push(match grade("exercises", args)? {
        Some(results) => stubs_check(&results),
        None => Check {
            what: "the exercise stubs fail every case as \"not implemented yet\"".into(),
            problems: vec![
                "the exercises do not build (run `cargo build -p exercises` to see why)".into(),
            ],
        },
    });
    checks.push(Check {
        what: "every diagnosis that names a construct blames it only with a `cause`".into(),
        problems: crate::grade::grounding::course_problems(
            &first_specs(&validation),
            &root.join("solutions").join("src"),
            &root.join("exercises").join("src"),
        ),
    });
    checks.push(lessons_check(
        &validation,
        &root.join("exercises").join("src"),
        &root,
    ));
    checks.push(documented_check(
        &validation,
        &root.join(docs::REFERENCE),
        &root,
    ));
    checks.push(registry_check(&validation, &root, style.color)?);
    checks.push(Check {
        what:
            "the student template (`checker template`) compiles, without solutions or hidden cases"
                .to_string(),
        problems: crate::template::check_template(&root).unwrap_or_else(|e| vec![format!("{e:#}")]),
    });
    let warnings = if args.no_corpus {
        Vec::new()
    } else {
        corpus_warnings(&root, args)?
    };
    crate::report::output::write_stdout(&render(&checks, &warnings, style))?;
    Ok(if checks.iter().all(|c| c.problems.is_empty()) {
        exit::PASS
    } else {
        exit::FAIL
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inner_doc_is_the_leading_bang_comments() {
        let text = "\n//! # Lesson 1\n//!\n//! ## What to write\n\nuse x;\n//! not this\n";
        assert_eq!(inner_doc(text), ["# Lesson 1", "", "## What to write"]);
        assert!(inner_doc("use x;\n//! late\n").is_empty());
    }

    #[test]
    fn the_registry_check_ends_with_exit_3_when_the_stubbed_build_cannot_run() {
        // A registry that loads, and an exercises crate whose manifest cannot be read: cargo
        // is never run, as when it cannot be. That is the build's failure (3), not the
        // specs' (2).
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join(asynclings_runner::registry::FILE_NAME),
            "prelude = []\n",
        )
        .unwrap();
        let validation = Validation {
            files: Vec::new(),
            fitted: false,
        };
        let error = registry_check(&validation, root.path(), false).unwrap_err();
        assert_eq!(error.exit_status(), exit::BUILD, "{error}");
    }

    #[test]
    fn locations_are_line_and_column() {
        assert_eq!(spec_location("a\nbc = 1\n", 3), "2:2");
        assert_eq!(spec_location("é", 1), "1:1");
    }
}
