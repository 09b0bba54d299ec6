//! A grading session: the stages of one grading run, in order, each handing its output to
//! the next and none calling back up:
//!
//! 1. options ([`crate::options`]: the command line, resolved);
//! 2. workspace and specs ([`crate::workspace::root`], [`crate::spec::load_specs`]), the
//!    sandbox, and the supervisor that will own every case's process;
//! 3. build ([`crate::build`]: cargo, confined; lessons that do not compile stubbed);
//! 4. cases, observations and verdicts ([`crate::grade`], running each case through
//!    [`crate::supervise`]);
//! 5. the exit status ([`crate::exit`]); the caller writes the report ([`crate::report::output`]
//!    with [`Session::destination`]).
//!
//! Every command that grades (the default, `list`, `watch`, `verify`, `timeline`) makes a
//! [`Session`] and calls [`Session::grade`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use asynclings_runner::protocol::{ClockMode, FunctionInfo};

use crate::build::{self, Built};
use crate::cargo_build;
use crate::exit::{self, Error, ResultExt};
use crate::grade::{self, Settings};
use crate::isolate;
use crate::options::{GradeArgs, Machine, Options, Specs};
use crate::os::Interrupts;
use crate::os::sandbox::Sandbox;
use crate::report::Format;
use crate::report::output::Destination;
use crate::report::style::Style;
use crate::results::Context;
use crate::results::{CaseResult, LessonResult, Status};
use crate::spec::{self, Lesson};
use crate::supervise::{Runner, Supervisor};
use crate::workspace;

/// What the checker says on the first interrupt.
pub const INTERRUPTED_NOTICE: &str = "Interrupted: stopping the running cases; the report lists every case, those that did not finish as errors.";

/// What a session knows before grading.
#[derive(Debug, Clone)]
pub struct Session {
    /// The workspace root.
    pub root: PathBuf,
    /// The lessons to grade.
    pub lessons: Vec<Lesson>,
    /// The package under test.
    pub package: String,
    /// Folder of its lesson files.
    pub src_dir: PathBuf,
    /// The clock.
    pub clock: ClockMode,
    /// The run's seed (`--seed`, or fresh): every case's draws come from it (`crate::seed`).
    pub seed: u64,
    /// Colors for stdout.
    pub style: Style,
    /// Its options, resolved.
    pub options: Options,
    /// Runs the cases; its cancel handle is this session's (an interrupt, or `watch`
    /// quitting, cancels it).
    pub supervisor: Supervisor,
    /// What confines the build and the cases.
    pub sandbox: Arc<Sandbox>,
    /// Folders of the workspace the build must not read: the spec directories in it,
    /// `solutions/` (unless under test), `.git`.
    pub hidden: Vec<PathBuf>,
    /// Stop signals go to this session while it lives (`None`: they cannot be handled here).
    _interrupts: Option<Arc<Interrupts>>,
}

/// What grading produced.
#[derive(Debug, Clone)]
pub struct Graded {
    /// Results, in spec order.
    pub results: Vec<LessonResult>,
    /// What the report needs besides them.
    pub context: Context,
    /// The exit status they mean.
    pub exit: u8,
    /// Wall time of the whole run (build included), seconds.
    pub elapsed: f64,
    /// The runner that graded, when one was built or given: the binary that records the
    /// timelines of its cases ([`crate::timeline::record`]).
    pub runner: Option<Runner>,
}

/// Fails when a spec names a lesson the implementation under test does not have: none of its
/// cases could run, and that is a problem of the specs (or of the runner chosen), not a grade.
fn check_lessons_exist(
    lessons: &[Lesson],
    manifest: &[FunctionInfo],
    runner: &Runner,
) -> anyhow::Result<()> {
    let Some(missing) = lessons
        .iter()
        .find(|l| !manifest.iter().any(|f| f.lesson == l.id))
    else {
        return Ok(());
    };
    let mut known: Vec<&str> = manifest.iter().map(|f| f.lesson.as_str()).collect();
    known.dedup();
    anyhow::bail!(
        "{}: lesson `{}` is not in the implementation under test ({} has the lessons {}); nothing was graded",
        missing.spec_path.display(),
        missing.id,
        runner.path.display(),
        known.join(", ")
    )
}

/// What the build of `package` must not read in the workspace `root`: the spec directories
/// given, the workspace's own `specs/` whether given or not (a grading workspace of
/// `grade-many` holds a copy of the course's, hidden cases included), `.git` (which holds
/// every version of every file), and `solutions/` unless `package` is it or depends on it.
fn hidden_from_build(root: &Path, package: &str, spec_dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut hidden = spec_dirs.to_vec();
    hidden.push(root.join("specs"));
    hidden.push(root.join(".git"));
    hidden.dedup();
    let manifest =
        std::fs::read_to_string(root.join(package).join("Cargo.toml")).unwrap_or_default();
    if package != "solutions" && !manifest.contains("../solutions") {
        hidden.push(root.join("solutions"));
    }
    hidden
}

impl Session {
    /// Prepares a session from the command line (loads and checks the specs).
    ///
    /// # Errors
    /// Outside a course ([`Error::Usage`]), a problem in the specs ([`Error::Spec`]), no
    /// such lesson or seed ([`Error::Usage`]), the sandbox required and missing
    /// ([`Error::Environment`]).
    pub fn new(args: &GradeArgs) -> Result<Self, Error> {
        let root = workspace::root()?;
        let dirs = spec::spec_dirs(&root, &args.specs);
        let mut lessons = spec::load_specs(&dirs)?;
        if let Some(wanted) = &args.lesson {
            lessons = vec![spec::select(&lessons, wanted)?.clone()];
        }
        let options = Options::resolve(args, &Machine::detect(), Specs::of(&root, &dirs))?;
        let package = options.package.clone();
        let sandbox = Sandbox::new(options.sandbox_plan.clone(), options.sandbox)
            .map_err(|e| anyhow::anyhow!("cannot set up the sandbox: {e}"))
            .or_fail(Error::Environment)?;
        let sandbox = Arc::new(sandbox);
        // What builds read: the package under test's, or, given a runner, the package that
        // runner comes from (it was built from it).
        let built = options
            .runner
            .as_deref()
            .and_then(crate::cargo_build::package_of_runner)
            .unwrap_or_else(|| package.clone());
        let hidden = hidden_from_build(&root, &built, &dirs);
        let supervisor = Supervisor::with_sandbox(
            crate::cancel::Cancel::new(),
            Arc::clone(&sandbox),
            options.case_processes,
        );
        // From the start: an interrupt during the build ends cargo and still writes the report.
        let interrupts = match supervisor.route_interrupts(INTERRUPTED_NOTICE, exit::INTERRUPTED) {
            Ok(interrupts) => Some(Arc::new(interrupts)),
            Err(error) => {
                eprintln!("warning: cannot handle Ctrl-C: {error}");
                None
            }
        };
        Ok(Self {
            src_dir: root.join(&package).join("src"),
            root,
            lessons,
            package,
            clock: options.clock,
            seed: options.seed,
            style: Style {
                color: options.color,
            },
            options,
            supervisor,
            sandbox,
            hidden,
            _interrupts: interrupts,
        })
    }

    /// Whether the session was interrupted (Ctrl-C, SIGTERM, or `watch` quitting).
    fn interrupted(&self) -> bool {
        self.supervisor.cancel().is_cancelled()
    }

    /// What is graded, in words: the package, or the runner given, and the variant.
    pub fn subject(&self) -> String {
        // A runner given (`--runner`, which excludes `--package` and `--solutions`) is named
        // after its file.
        let base = match &self.options.runner {
            Some(runner) => runner
                .file_name()
                .map_or_else(
                    || runner.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
                .trim_end_matches("-runner")
                .to_string(),
            _ => self.package.clone(),
        };
        match &self.options.variant {
            Some(variant) => format!("{base} ({variant})"),
            None => base,
        }
    }

    fn context(&self) -> Context {
        Context {
            subject: self.subject(),
            clock: crate::options::clock_name(self.clock).into(),
            stray_compile_errors: Vec::new(),
            interrupted: false,
            isolated: false,
            sandbox: Some(self.sandbox.status()),
            seed: Some(self.seed),
        }
    }

    /// Builds (unless given a runner), then grades every lesson of the session.
    ///
    /// # Errors
    /// The runner given cannot be used ([`Error::Usage`]); cargo or the runner cannot be run
    /// ([`Error::Build`]); a spec names a lesson the runner lacks ([`Error::Spec`]).
    pub fn grade(&self, on_result: &(dyn Fn(&CaseResult) + Sync)) -> Result<Graded, Error> {
        self.grade_with(on_result, &|| {})
    }

    /// [`Session::grade`], calling `on_ready` once the runner is built (or found) and the
    /// cases are about to start.
    pub fn grade_with(
        &self,
        on_result: &(dyn Fn(&CaseResult) + Sync),
        on_ready: &dyn Fn(),
    ) -> Result<Graded, Error> {
        let started = std::time::Instant::now();
        let mut context = self.context();
        // Lessons whose file does not compile, replaced by stubs for the build that is graded.
        let (runner_path, broken) = match &self.options.runner {
            // Absolute: each case runs in a scratch directory of its own.
            Some(path) => {
                let path = std::fs::canonicalize(path)
                    .map_err(|e| anyhow::anyhow!("cannot use the runner {}: {e}", path.display()))
                    .or_fail(Error::Usage)?;
                (path, BTreeMap::new())
            }
            None => {
                let bin = format!("{}-runner", self.package);
                let stage = build::Stage {
                    request: self.build_request(&bin),
                    src_dir: &self.src_dir,
                    lessons: &self.lessons,
                    cancel: self.supervisor.cancel(),
                };
                match build::build(&stage, &mut context).or_fail(Error::Build)? {
                    Built::Runner { path, broken } => (path, broken),
                    Built::Interrupted => {
                        return Ok(self.interrupted_before_grading(context, started));
                    }
                    Built::NotBuilt(results) => {
                        return Ok(Graded {
                            results,
                            context,
                            exit: exit::BUILD,
                            elapsed: started.elapsed().as_secs_f64(),
                            runner: None,
                        });
                    }
                }
            }
        };
        let runner = Runner {
            path: runner_path,
            variant: self.options.variant.clone(),
        };
        let manifest = self
            .supervisor
            .read_manifest(&runner)
            .or_fail(Error::Build)?;
        check_lessons_exist(&self.lessons, &manifest, &runner).or_fail(Error::Spec)?;
        let settings = Settings {
            manifest,
            runner: runner.clone(),
            supervisor: self.supervisor.clone(),
            clock: self.clock,
            seed: self.seed,
            jobs: self.options.jobs,
            root: self.root.clone(),
            src_dir: self.src_dir.clone(),
        };
        crate::os::become_subreaper();
        on_ready();
        let mut results = grade::grade(&self.lessons, &settings, on_result);
        if !broken.is_empty() {
            results = isolate::results::with_broken_lessons(results, &self.lessons, &broken);
        }
        context.interrupted = self.interrupted();
        let all_pass = results
            .iter()
            .flat_map(|l| &l.cases)
            .all(|c| c.status == Status::Pass);
        let complete = results
            .iter()
            .zip(&self.lessons)
            .all(|(r, l)| r.cases.len() == l.cases.len());
        let exit = if context.interrupted {
            exit::INTERRUPTED
        } else if !broken.is_empty() {
            exit::BUILD
        } else if all_pass && complete {
            exit::PASS
        } else {
            exit::FAIL
        };
        Ok(Graded {
            results,
            context,
            exit,
            elapsed: started.elapsed().as_secs_f64(),
            runner: Some(runner),
        })
    }

    /// The build of the package under test's runner `bin`, as this session confines it.
    pub fn build_request<'a>(&'a self, bin: &'a str) -> cargo_build::Request<'a> {
        self.build_request_of(&self.package, bin)
    }

    /// The build of `package`'s runner `bin`, as this session confines it: code under test
    /// unless the session was given a runner (`--runner`: its package is whatever built it).
    pub fn build_request_of<'a>(
        &'a self,
        package: &'a str,
        bin: &'a str,
    ) -> cargo_build::Request<'a> {
        cargo_build::Request {
            root: &self.root,
            package,
            bin,
            release: self.options.release,
            color: self.color_compiler_messages(),
            sandbox: &self.sandbox,
            hidden: &self.hidden,
            untrusted: self.options.runner.is_none(),
        }
    }

    /// Whether compiler messages are coloured: only where a person reads them.
    fn color_compiler_messages(&self) -> bool {
        self.style.color && self.options.format == Format::Human && self.options.output.is_none()
    }

    /// Where and how this session's report is written (`--format`, `--output`, ...).
    pub fn destination(&self) -> Destination<'_> {
        Destination {
            format: self.options.format,
            path: self.options.output.as_deref(),
            show_hidden: self.options.show_hidden,
            style: self.style,
            note: self.options.note.as_deref(),
        }
    }

    /// The report of a run interrupted before any case ran: every case an error worth 0 of
    /// its points, and the run marked interrupted.
    fn interrupted_before_grading(
        &self,
        mut context: Context,
        started: std::time::Instant,
    ) -> Graded {
        context.interrupted = true;
        let results = self
            .lessons
            .iter()
            .map(|lesson| LessonResult {
                number: lesson.number,
                id: lesson.id.clone(),
                title: lesson.title.clone(),
                file: grade::shown(&self.src_dir.join(&lesson.file), &self.root),
                hint: lesson.hint.clone(),
                cases: lesson.cases.iter().map(grade::not_run).collect(),
                compile_errors: Vec::new(),
            })
            .collect();
        Graded {
            results,
            context,
            exit: exit::INTERRUPTED,
            elapsed: started.elapsed().as_secs_f64(),
            runner: None,
        }
    }
}
