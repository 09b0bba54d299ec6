//! A grading session: find the workspace, load the specs, build the code under test, grade,
//! and report. Every command that grades (the default, `list`, `watch`, `verify`, ...) goes
//! through here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use asynclings_runner::protocol::{ClockMode, FunctionInfo};

use crate::cargo_build::{self, Build, CompileError};
use crate::cli::{Clock, Format, GradeArgs};
use crate::exit::{self, Failure, ResultExt};
use crate::grade::{self, Settings, message};
use crate::isolate::{self, Broken, BrokenLesson};
use crate::os::Interrupts;
use crate::os::sandbox::{self, Capabilities, Sandbox};
use crate::report::human::{self, Context};
use crate::report::style::Style;
use crate::report::{self, json};
use crate::results::{CaseResult, LessonResult, Reason, Status};
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
    /// Colors for stdout.
    pub style: Style,
    /// The options it was made from.
    pub args: GradeArgs,
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

/// The sandbox `args` ask for (`--sandbox`, or its default: `required` when spec directories
/// other than the workspace's `specs/` are in use), on this machine.
///
/// # Errors
/// `required` where the machine lacks what it needs, saying what.
pub fn sandbox_for(args: &GradeArgs, root: &Path, dirs: &[PathBuf]) -> anyhow::Result<Sandbox> {
    let caps = Capabilities::probe();
    let own = std::fs::canonicalize(root.join("specs")).ok();
    let private = dirs
        .iter()
        .any(|dir| std::fs::canonicalize(dir).ok() != own);
    let mode = args
        .sandbox
        .map_or_else(|| sandbox::default_mode(private, &caps), Into::into);
    let plan = sandbox::decide(mode, &caps, sandbox::DEFAULT_USER)
        .map_err(|e| anyhow::anyhow!(e))
        .or_fail(Failure::Environment)?;
    Sandbox::new(plan, mode)
        .map_err(|e| anyhow::anyhow!("cannot set up the sandbox: {e}"))
        .or_fail(Failure::Environment)
}

/// What the build of `package` must not read in the workspace `root`: the spec directories,
/// `.git` (which holds every version of every file), and `solutions/` unless `package` is it or
/// depends on it.
fn hidden_from_build(root: &Path, package: &str, spec_dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut hidden = spec_dirs.to_vec();
    hidden.push(root.join(".git"));
    let manifest =
        std::fs::read_to_string(root.join(package).join("Cargo.toml")).unwrap_or_default();
    if package != "solutions" && !manifest.contains("../solutions") {
        hidden.push(root.join("solutions"));
    }
    hidden
}

impl Session {
    /// Prepares a session from the command line (loads and checks the specs).
    pub fn new(args: &GradeArgs) -> anyhow::Result<Self> {
        let root = workspace::root()?;
        let dirs = spec::spec_dirs(&root, &args.specs);
        let mut lessons = spec::load_specs(&dirs)?;
        if let Some(wanted) = &args.lesson {
            lessons = vec![spec::select(&lessons, wanted)?.clone()];
        }
        let package = match (&args.package, args.solutions) {
            (Some(package), _) => package.clone(),
            (None, true) => "solutions".to_string(),
            (None, false) => "exercises".to_string(),
        };
        let sandbox = Arc::new(sandbox_for(args, &root, &dirs)?);
        let hidden = hidden_from_build(&root, &package, &dirs);
        let supervisor =
            Supervisor::with_sandbox(crate::cancel::Cancel::new(), Arc::clone(&sandbox));
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
            clock: match args.clock {
                Clock::Virtual => ClockMode::Virtual,
                Clock::Real => ClockMode::Real,
            },
            style: Style {
                color: args.color.enabled(),
            },
            args: args.clone(),
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
    fn subject(&self) -> String {
        let base = match (&self.args.runner, &self.args.package, self.args.solutions) {
            (Some(runner), None, false) => runner
                .file_name()
                .map_or_else(
                    || runner.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
                .trim_end_matches("-runner")
                .to_string(),
            _ => self.package.clone(),
        };
        match &self.args.variant {
            Some(variant) => format!("{base} ({variant})"),
            None => base,
        }
    }

    fn context(&self) -> Context {
        Context {
            subject: self.subject(),
            clock: match self.clock {
                ClockMode::Virtual => "virtual".into(),
                ClockMode::Real => "real".into(),
            },
            stray_compile_errors: Vec::new(),
            interrupted: false,
            isolated: false,
            sandbox: Some(self.sandbox.status()),
        }
    }

    /// Builds (unless given a runner), then grades every lesson of the session.
    pub fn grade(&self, on_result: &(dyn Fn(&CaseResult) + Sync)) -> anyhow::Result<Graded> {
        self.grade_with(on_result, &|| {})
    }

    /// [`Session::grade`], calling `on_ready` once the runner is built (or found) and the
    /// cases are about to start.
    pub fn grade_with(
        &self,
        on_result: &(dyn Fn(&CaseResult) + Sync),
        on_ready: &dyn Fn(),
    ) -> anyhow::Result<Graded> {
        let started = std::time::Instant::now();
        let mut context = self.context();
        // Lessons whose file does not compile, replaced by stubs for the build that is graded.
        let mut broken = BTreeMap::new();
        let runner_path = match &self.args.runner {
            // Absolute: each case runs in a scratch directory of its own.
            Some(path) => std::fs::canonicalize(path)
                .map_err(|e| anyhow::anyhow!("cannot use the runner {}: {e}", path.display()))
                .or_fail(Failure::Usage)?,
            None => {
                let bin = format!("{}-runner", self.package);
                let build = cargo_build::build(&self.build_request(&bin));
                if self.interrupted() {
                    // cargo was ended by the interrupt: whatever it said is about that.
                    return Ok(self.interrupted_before_grading(context, started));
                }
                match build.or_fail(Failure::Build)? {
                    Build::Built(path) => path,
                    Build::Failed {
                        errors,
                        cargo_output,
                    } => match self
                        .isolate(errors, cargo_output, &mut context)
                        .or_fail(Failure::Build)?
                    {
                        Ok((path, isolated)) => {
                            broken = isolated;
                            context.isolated = true;
                            path
                        }
                        Err(results) => {
                            return Ok(Graded {
                                results,
                                context,
                                exit: exit::BUILD,
                                elapsed: started.elapsed().as_secs_f64(),
                            });
                        }
                    },
                }
            }
        };
        let runner = Runner {
            path: runner_path,
            variant: self.args.variant.clone(),
        };
        let manifest = read_manifest(&self.supervisor, &runner).or_fail(Failure::Build)?;
        check_lessons_exist(&self.lessons, &manifest, &runner).or_fail(Failure::Spec)?;
        let settings = Settings {
            manifest,
            runner,
            supervisor: self.supervisor.clone(),
            clock: self.clock,
            jobs: self.args.jobs.unwrap_or(match self.clock {
                ClockMode::Virtual => std::thread::available_parallelism().map_or(2, |n| n.get()),
                ClockMode::Real => 1,
            }),
            root: self.root.clone(),
            src_dir: self.src_dir.clone(),
        };
        crate::os::become_subreaper();
        on_ready();
        let mut results = grade::grade(&self.lessons, &settings, on_result);
        if !broken.is_empty() {
            results = with_broken_lessons(results, &self.lessons, &broken);
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
        })
    }

    /// After a failed build: the runner built with a stub for every lesson that does not
    /// compile, and those lessons (`Ok`); or, when no such build can be made (an error that
    /// belongs to no lesson), the results of a run where nothing could be graded (`Err`).
    #[allow(clippy::type_complexity)]
    fn isolate(
        &self,
        errors: Vec<CompileError>,
        cargo_output: String,
        context: &mut Context,
    ) -> anyhow::Result<Result<(PathBuf, BTreeMap<String, BrokenLesson>), Vec<LessonResult>>> {
        let isolation = match isolate::load_registry(&self.root) {
            Ok(registry) if !errors.is_empty() => {
                let bin = format!("{}-runner", self.package);
                let target = isolate::Target {
                    build: self.build_request(&bin),
                    src_dir: &self.src_dir,
                };
                Some(isolate::isolate(
                    &target,
                    &registry,
                    errors.clone(),
                    self.supervisor.cancel(),
                )?)
            }
            // No registry (an older workspace), or cargo failed before compiling anything.
            _ => None,
        };
        match isolation {
            Some(isolation) if isolation.runner.is_some() => {
                let path = isolation.runner.unwrap_or_default();
                Ok(Ok((path, isolation.broken)))
            }
            Some(isolation) => {
                if isolation.stray.is_empty() && isolation.broken.is_empty() {
                    context.stray_compile_errors.push(format!(
                        "cargo could not build {}:\n{}",
                        self.package, isolation.cargo_output
                    ));
                }
                Ok(Err(does_not_compile(
                    &self.lessons,
                    &isolation.broken,
                    &isolation.stray,
                    &self.src_dir,
                    &self.root,
                    context,
                )))
            }
            None => {
                if errors.is_empty() {
                    context.stray_compile_errors.push(format!(
                        "cargo could not build {}:\n{cargo_output}",
                        self.package
                    ));
                }
                Ok(Err(does_not_compile(
                    &self.lessons,
                    &BTreeMap::new(),
                    &errors,
                    &self.src_dir,
                    &self.root,
                    context,
                )))
            }
        }
    }

    /// The build of the package under test's runner `bin`, as this session confines it.
    fn build_request<'a>(&'a self, bin: &'a str) -> cargo_build::Request<'a> {
        cargo_build::Request {
            root: &self.root,
            package: &self.package,
            bin,
            release: self.args.release,
            color: self.color_compiler_messages(),
            sandbox: &self.sandbox,
            hidden: &self.hidden,
        }
    }

    /// Whether compiler messages are coloured: only where a person reads them.
    fn color_compiler_messages(&self) -> bool {
        self.style.color && self.args.format == Format::Human && self.args.output.is_none()
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
        }
    }

    /// Writes the report in the chosen format, to stdout or `--output`.
    pub fn emit(&self, graded: &Graded) -> anyhow::Result<()> {
        let visible = || {
            report::machine::visible(
                &graded.results,
                self.args.show_hidden,
                &graded.context.stray_compile_errors,
            )
        };
        let text = match self.args.format {
            Format::Human => {
                let style = if self.args.output.is_some() {
                    Style { color: false }
                } else {
                    self.style
                };
                let results =
                    crate::commands::grade::shown_results(&graded.results, self.args.show_hidden);
                human::render(&results, &graded.context, style)
            }
            Format::Json => json::render(&visible(), &graded.context),
            Format::Junit => report::junit::render(&visible(), &graded.context)?,
            Format::Gradescope => report::gradescope::with_note(
                report::gradescope::render(&visible(), &graded.context, graded.elapsed),
                self.args.note.as_deref(),
            ),
            Format::GithubClassroom => report::classroom::render(&visible(), &graded.context),
            Format::Classroom50 => report::classroom50::render(
                &visible(),
                &graded.context,
                &report::classroom50::Identity::from_env(),
            ),
        };
        match &self.args.output {
            Some(path) => std::fs::write(path, text)
                .map_err(|e| anyhow::anyhow!("cannot write the report to {}: {e}", path.display()))
                .or_fail(Failure::Io),
            None => write_stdout(&text),
        }
    }
}

/// Writes to stdout; a reader that went away (`checker | head`) is not an error.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other
            .map_err(|e| anyhow::anyhow!("cannot write the report: {e}"))
            .or_fail(Failure::Io),
    }
}

/// Asks the runner what it can call, running it in the sandbox of a case: the runner is
/// built from student code, and `--manifest` runs it as much as `--case` does.
pub fn read_manifest(
    supervisor: &Supervisor,
    runner: &Runner,
) -> anyhow::Result<Vec<FunctionInfo>> {
    let stdout = supervisor
        .run_manifest(runner, Duration::from_secs(20))
        .map_err(|e| anyhow::anyhow!("cannot run {} --manifest: {e:#}", runner.path.display()))?;
    serde_json::from_slice(&stdout).map_err(|e| {
        anyhow::anyhow!(
            "{} --manifest printed no manifest: {e}",
            runner.path.display()
        )
    })
}

/// Results for a build that failed and could not be isolated: each lesson's compiler errors
/// (`broken`, and `stray` errors placed by their file), every case an error.
fn does_not_compile(
    lessons: &[Lesson],
    broken: &BTreeMap<String, BrokenLesson>,
    stray: &[CompileError],
    src_dir: &Path,
    root: &Path,
    context: &mut Context,
) -> Vec<LessonResult> {
    let in_file = |error: &CompileError, lesson: &Lesson| {
        error
            .file
            .as_deref()
            .is_some_and(|f| Path::new(f).file_name() == Some(lesson.file.as_ref()))
    };
    let errors_of = |lesson: &Lesson| -> Vec<CompileError> {
        let own = broken
            .get(&lesson.id)
            .map(|b| b.errors.clone())
            .unwrap_or_default();
        own.into_iter()
            .chain(stray.iter().filter(|e| in_file(e, lesson)).cloned())
            .collect()
    };
    for error in stray {
        if !lessons.iter().any(|l| in_file(error, l)) {
            context
                .stray_compile_errors
                .push(rendered_with_explanation(error));
        }
    }
    // The first lesson whose file fails, when one does; else the errors are elsewhere.
    let failing = lessons.iter().find(|l| !errors_of(l).is_empty());
    let elsewhere = match failing {
        Some(lesson) => format!(
            "{}; the file of lesson {} ({}) has errors: fix them first",
            grade::NOT_BUILT,
            lesson.number,
            lesson.id
        ),
        None => format!(
            "{}, outside the lesson files (the compiler's message follows)",
            grade::NOT_BUILT
        ),
    };
    lessons
        .iter()
        .map(|lesson| {
            let compile_errors = errors_of(lesson);
            let (why, reason) = if compile_errors.is_empty() {
                (elsewhere.as_str(), Reason::NotBuilt)
            } else {
                (grade::FILE_NOT_BUILT, Reason::FileNotBuilt)
            };
            broken_result(lesson, src_dir, root, compile_errors, why, reason)
        })
        .collect()
}

/// A compile error's text with its explanation above it, when it has one.
fn rendered_with_explanation(error: &CompileError) -> String {
    match &error.explanation {
        Some(explanation) => format!("{explanation}\n\n{}", error.rendered),
        None => error.rendered.clone(),
    }
}

/// The result of a lesson none of whose cases could run: each an error saying `why`.
fn broken_result(
    lesson: &Lesson,
    src_dir: &Path,
    root: &Path,
    compile_errors: Vec<CompileError>,
    why: &str,
    reason: Reason,
) -> LessonResult {
    LessonResult {
        number: lesson.number,
        id: lesson.id.clone(),
        title: lesson.title.clone(),
        file: grade::shown(&src_dir.join(&lesson.file), root),
        hint: lesson.hint.clone(),
        cases: lesson
            .cases
            .iter()
            .map(|c| {
                CaseResult::new(&c.name, &c.function, Status::Error, c.points, c.hidden)
                    .with_message(why)
                    .with_reason(reason.clone())
            })
            .collect(),
        compile_errors,
    }
}

/// The results of a run graded with stubs for the `broken` lessons: theirs become errors with
/// their compiler errors, and a case of another lesson that called a stub says which lesson
/// it needs, instead of the stub's panic.
fn with_broken_lessons(
    results: Vec<LessonResult>,
    lessons: &[Lesson],
    broken: &BTreeMap<String, BrokenLesson>,
) -> Vec<LessonResult> {
    results
        .into_iter()
        .zip(lessons)
        .map(|(mut result, lesson)| {
            if let Some(broken) = broken.get(&lesson.id) {
                let why = match &broken.why {
                    Broken::DoesNotCompile => grade::FILE_NOT_BUILT.to_string(),
                    Broken::Signature(message) => format!("{}: {message}", grade::FILE_NOT_BUILT),
                };
                let mut cases = Vec::new();
                for (case, spec) in result.cases.iter().zip(&lesson.cases) {
                    let mut case = CaseResult::new(
                        &case.name,
                        &case.function,
                        Status::Error,
                        spec.points,
                        spec.hidden,
                    );
                    case.message = why.clone();
                    case.reason = Some(Reason::FileNotBuilt);
                    cases.push(case);
                }
                result.cases = cases;
                result.compile_errors = broken.errors.clone();
                return result;
            }
            for case in &mut result.cases {
                let Some(needed) = stub_called(case) else {
                    continue;
                };
                let number = lessons
                    .iter()
                    .find(|l| l.id == needed)
                    .map_or(0, |l| l.number);
                *case = CaseResult::new(
                    &case.name,
                    &case.function,
                    Status::Error,
                    case.max_points,
                    case.hidden,
                )
                .with_message(message::needs_broken_lesson(number, &needed))
                .with_reason(Reason::DependsOn {
                    number,
                    lesson: needed,
                });
            }
            result
        })
        .collect()
}

/// The lesson whose stub a case called (its panic names it), if it did.
fn stub_called(case: &CaseResult) -> Option<String> {
    let marker = asynclings_runner::protocol::NOT_BUILT;
    [
        case.message.as_str(),
        case.diagnosis.as_deref().unwrap_or(""),
    ]
    .iter()
    .find_map(|text| {
        let after = text.split(marker).nth(1)?;
        Some(after.split('`').nth(1)?.to_string())
    })
}
