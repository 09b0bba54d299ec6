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
use std::path::PathBuf;
use std::sync::Arc;

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
use crate::results::{CaseResult, Context, LessonResult, Status};
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
    /// Folder of its lesson files.
    pub src_dir: PathBuf,
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
        let hidden = build::hidden_from_build(&root, &built, &dirs);
        let supervisor = Supervisor::with_sandbox(
            crate::cancel::Cancel::new(),
            Arc::clone(&sandbox),
            options.case_processes,
            options.cores,
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

    fn context(&self) -> Context {
        Context {
            subject: self.options.subject(),
            clock: crate::options::clock_name(self.options.clock).into(),
            stray_compile_errors: Vec::new(),
            interrupted: false,
            isolated: false,
            sandbox: Some(self.sandbox.status()),
            seed: Some(self.options.seed),
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
                let bin = format!("{}-runner", self.options.package);
                let stage = build::Stage {
                    request: self.build_request(&bin),
                    src_dir: &self.src_dir,
                    lessons: &self.lessons,
                    cancel: self.supervisor.cancel(),
                };
                match build::build(&stage, &mut context).or_fail(Error::Build)? {
                    Built::Runner { path, broken } => (path, broken),
                    Built::Interrupted => {
                        context.interrupted = true;
                        return Ok(Graded {
                            results: build::not_run(&self.lessons, &self.src_dir, &self.root),
                            context,
                            exit: exit::INTERRUPTED,
                            elapsed: started.elapsed().as_secs_f64(),
                            runner: None,
                        });
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
        spec::check_lessons_exist(&self.lessons, &manifest, &runner.path).or_fail(Error::Spec)?;
        let settings = Settings {
            manifest,
            runner: runner.clone(),
            supervisor: self.supervisor.clone(),
            clock: self.options.clock,
            seed: self.options.seed,
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
        self.build_request_of(&self.options.package, bin)
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
        self.options.style.color
            && self.options.format == Format::Human
            && self.options.output.is_none()
    }

    /// Where and how this session's report is written (`--format`, `--output`, ...).
    pub fn destination(&self) -> Destination<'_> {
        Destination {
            format: self.options.format,
            path: self.options.output.as_deref(),
            show_hidden: self.options.show_hidden,
            style: self.options.style,
            note: self.options.note.as_deref(),
            classroom50: &self.options.classroom50,
        }
    }
}
