//! Grades lessons: runs every call case in its own process (in parallel on the virtual clock),
//! reads the source checks, and gathers the results in spec order.

pub mod call;
pub mod captured;
pub mod checks;
pub mod evidence;
pub mod grounding;
pub mod lesson;
mod macro_args;
pub mod message;
pub mod permit;
pub mod rules;
pub mod source;
pub mod stopped;
pub mod trace;
pub mod transcript;
pub mod truncated;
pub mod uniform;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use asynclings_runner::protocol::{ClockMode, FunctionInfo, Outcome};

use crate::results::{CaseResult, LessonResult, Status};
use crate::spec::{CaseKind, Lesson};
use crate::supervise::{Observed, Runner, Supervisor};

/// Most bytes of stdout a case keeps for its report.
pub const STDOUT_CAP: u64 = 64 * 1024;

/// How to grade.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The runner of the implementation under test.
    pub runner: Runner,
    /// Runs the cases' processes; its cancel handle stops the run.
    pub supervisor: Supervisor,
    /// What the runner can call.
    pub manifest: Vec<FunctionInfo>,
    /// The clock cases run on.
    pub clock: ClockMode,
    /// The run's seed, from which each case's is derived (`crate::seed`).
    pub seed: u64,
    /// Cases run at once.
    pub jobs: usize,
    /// The workspace root, to show paths relative to it.
    pub root: PathBuf,
    /// Folder of the implementation's lesson files, for lessons whose functions are unknown.
    pub src_dir: PathBuf,
}

pub use message::{FILE_NOT_BUILT, NOT_BUILT, NOT_RUN};

/// The result of a case that did not run (or was cut short) because the run was interrupted:
/// an error worth 0 of its points, kept so that the maximum score stays the course's.
pub fn not_run(case: &crate::spec::Case) -> CaseResult {
    CaseResult::new(
        &case.name,
        &case.function,
        Status::Error,
        case.points,
        case.hidden,
    )
    .with_message(NOT_RUN)
    .with_reason(crate::results::Reason::Interrupted)
}

/// Shows `path` relative to `root` when it is inside it, with `/` between its parts on every
/// OS: reports read the same on Windows (which accepts `/` too) as elsewhere. Two spellings of
/// one folder (a link such as macOS's `/tmp` -> `/private/tmp`, or `/work` and `Z:\\work`
/// under Wine) are told apart by resolving both.
pub fn shown(path: &Path, root: &Path) -> String {
    let resolved = || {
        let path = std::fs::canonicalize(path).ok()?;
        let root = std::fs::canonicalize(root).ok()?;
        path.strip_prefix(root).ok().map(Path::to_path_buf)
    };
    let relative = match path.strip_prefix(root) {
        Ok(relative) => Some(relative.to_path_buf()),
        Err(_) => resolved(),
    };
    let shown = relative.as_deref().unwrap_or(path).display().to_string();
    if std::path::MAIN_SEPARATOR == '/' {
        shown
    } else {
        shown.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

impl Settings {
    fn function(&self, lesson: &str, name: &str) -> Option<&FunctionInfo> {
        self.manifest
            .iter()
            .find(|f| f.lesson == lesson && f.name == name)
    }

    /// The file a lesson's function is in (from the manifest), or the lesson's file.
    pub fn file_of(&self, lesson: &Lesson, function: Option<&str>) -> PathBuf {
        function
            .and_then(|f| self.function(&lesson.id, f))
            .or_else(|| self.manifest.iter().find(|f| f.lesson == lesson.id))
            .map_or_else(
                || self.src_dir.join(&lesson.file),
                |f| PathBuf::from(&f.source),
            )
    }
}

/// The spec files as they were when the run started, to notice and undo tampering.
struct SpecGuard {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl SpecGuard {
    fn new(lessons: &[Lesson]) -> Self {
        let mut paths: Vec<&PathBuf> = lessons.iter().map(|l| &l.spec_path).collect();
        paths.dedup();
        Self {
            files: paths
                .into_iter()
                .filter_map(|p| std::fs::read(p).ok().map(|bytes| (p.clone(), bytes)))
                .collect(),
        }
    }

    /// Spec files changed or deleted since the start; they are written back as they were.
    fn restore_changed(&self, root: &Path) -> Vec<String> {
        let mut changed = Vec::new();
        for (path, bytes) in &self.files {
            if std::fs::read(path).ok().as_ref() != Some(bytes) {
                changed.push(shown(path, root));
                // The folder too may be gone; a file in its place stays (nothing is deleted).
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let _ = std::fs::write(path, bytes);
            }
        }
        changed
    }
}

/// Who may have tampered with the spec files. Cases run in parallel, so when a case ends and
/// the specs have changed, any case running meanwhile may be the one that did it: all of them
/// are suspects, and each is run again alone at the end to tell.
#[derive(Default)]
struct Tampering {
    /// Jobs running code now.
    running: std::collections::BTreeSet<usize>,
    /// Jobs that were running when a change was found.
    suspects: std::collections::BTreeSet<usize>,
    /// The files changed, as shown.
    files: std::collections::BTreeSet<String>,
}

/// The verdict on a case that tampered with the spec files.
fn tampered(mut result: CaseResult, files: &[String], why: &str) -> CaseResult {
    result.status = Status::Error;
    result.points = 0.0;
    result.message = format!(
        "the code under test changed or deleted spec files ({}); they were restored, and this verdict cannot be trusted{why}",
        files.join(", ")
    );
    result
}

/// The verdict on a case whose code sent a stop signal to the checker (which ignored it).
fn signalled_checker(mut result: CaseResult) -> CaseResult {
    result.status = Status::Error;
    result.points = 0.0;
    result.message = format!(
        "the code under test sent a signal to the checker to stop the run; it was ignored, and this verdict cannot be trusted{}",
        if result.message.is_empty() {
            String::new()
        } else {
            format!(" (the case alone: {})", result.message)
        }
    );
    result
}

/// Grades `lessons`; `on_result` sees each case as it finishes (for progress).
pub fn grade(
    lessons: &[Lesson],
    settings: &Settings,
    on_result: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<LessonResult> {
    source::forget();
    let jobs: Vec<(usize, usize)> = lessons
        .iter()
        .enumerate()
        .flat_map(|(l, lesson)| (0..lesson.cases.len()).map(move |c| (l, c)))
        .collect();
    let slots: Vec<Mutex<Option<CaseResult>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    let workers = settings.jobs.clamp(1, jobs.len().max(1));
    let guard = SpecGuard::new(lessons);
    let state = Mutex::new(Tampering::default());
    let tampering = || state.lock().unwrap_or_else(|e| e.into_inner());
    let stopped = || settings.supervisor.cancel().is_cancelled();
    // Hidden cases run after every visible one has ended, never beside one: whatever a hidden
    // case's process could show (its arguments, its load on the machine), no visible case of
    // the same submission is running to observe it.
    let (hidden, visible): (Vec<usize>, Vec<usize>) =
        (0..jobs.len()).partition(|&i| lessons[jobs[i].0].cases[jobs[i].1].hidden);
    for phase in [visible, hidden] {
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..workers.min(phase.len()) {
                scope.spawn(|| {
                    while let Some(&index) = phase.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let (l, c) = jobs[index];
                        if stopped() {
                            break;
                        }
                        let runs_code = matches!(lessons[l].cases[c].kind, CaseKind::Call(_));
                        if runs_code {
                            tampering().running.insert(index);
                        }
                        let result = grade_case(&lessons[l], c, settings);
                        if stopped() {
                            // Cut short by Ctrl-C: its verdict would be the interruption's.
                            break;
                        }
                        let suspect = {
                            let mut tampering = tampering();
                            tampering.running.remove(&index);
                            let changed = guard.restore_changed(&settings.root);
                            if !changed.is_empty() {
                                let others = tampering.running.clone();
                                tampering.suspects.extend(others);
                                tampering.suspects.insert(index);
                                tampering.files.extend(changed);
                            }
                            tampering.suspects.contains(&index)
                        };
                        // A suspect's verdict waits for its run alone; the others are final.
                        if !suspect {
                            on_result(&result);
                        }
                        *slots[index].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                    }
                });
            }
        });
    }
    let tampering = state.into_inner().unwrap_or_else(|e| e.into_inner());
    let files: Vec<String> = tampering.files.into_iter().collect();
    let mut culprits = 0;
    let mut undecided = Vec::new();
    for &index in &tampering.suspects {
        let mut slot = slots[index].lock().unwrap_or_else(|e| e.into_inner());
        let Some(first) = slot.take() else { continue };
        let (l, c) = jobs[index];
        if stopped() {
            *slot = Some(tampered(
                first,
                &files,
                "; interrupted before a run alone could tell which case did it",
            ));
            continue;
        }
        // Alone, so that a change now is this case's doing.
        guard.restore_changed(&settings.root);
        let again = grade_case(&lessons[l], c, settings);
        let changed = guard.restore_changed(&settings.root);
        if stopped() {
            // The run alone was cut short: its verdict would be the interruption's.
            *slot = Some(tampered(
                first,
                &files,
                "; interrupted before a run alone could tell which case did it",
            ));
            continue;
        }
        if changed.is_empty() {
            undecided.push(index);
            *slot = Some(again);
        } else {
            culprits += 1;
            let result = tampered(again, &changed, "");
            on_result(&result);
            *slot = Some(result);
        }
    }
    for index in undecided {
        let mut slot = slots[index].lock().unwrap_or_else(|e| e.into_inner());
        if culprits == 0 {
            // Nobody did it again: it cannot be told who did, so no suspect's pass is trusted.
            if let Some(result) = slot.take() {
                *slot = Some(tampered(
                    result,
                    &files,
                    "; it ran alongside the case that did it, and which one it was cannot be told",
                ));
            }
        }
        if let Some(result) = slot.as_ref() {
            on_result(result);
        }
    }
    let mut slots = slots
        .into_iter()
        .map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner()));
    let mut results: Vec<LessonResult> = lessons
        .iter()
        .map(|lesson| LessonResult {
            number: lesson.number,
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            file: shown(&settings.file_of(lesson, None), &settings.root),
            hint: lesson.hint.clone(),
            // Cases that did not run (interrupted) are kept as errors: what finished keeps its
            // verdict, and the maximum score stays the whole course's.
            cases: lesson
                .cases
                .iter()
                .zip(slots.by_ref())
                .map(|(case, slot)| slot.unwrap_or_else(|| not_run(case)))
                .collect(),
            compile_errors: Vec::new(),
        })
        .collect();
    if !stopped() {
        lesson::conclude(lessons, &mut results, settings);
    }
    results
}

fn grade_case(lesson: &Lesson, index: usize, settings: &Settings) -> CaseResult {
    let case = &lesson.cases[index];
    if settings.function(&lesson.id, &case.function).is_none() {
        let mut result = CaseResult::new(
            &case.name,
            &case.function,
            Status::Error,
            case.points,
            case.hidden,
        );
        result.message = format!(
            "the implementation has no function `{}` in lesson `{}`: the spec {} does not fit it",
            case.function,
            lesson.id,
            shown(&lesson.spec_path, &settings.root)
        );
        return result;
    }
    match &case.kind {
        CaseKind::Call(call_case) => {
            let request = call::request(lesson, case, call_case, settings.clock, settings.seed);
            let (mut observed, mut signalled) =
                settings.supervisor.run_case(&settings.runner, &request);
            // Time blocked in the kernel is measured, not drawn: a loaded machine has put a
            // tenth of a second of it into one call of 200 of the reference's wait_random
            // (0.105 s, 0.139 s at load 17 on two cores). A case that shows some runs once
            // more, with the same seed (the same draws, the same path through the code); the
            // blocking counts only when it shows again, as code that blocks always does.
            if stopped::blocked_beyond_limit(&observed, call_case, settings.clock) {
                let again = settings.supervisor.run_case(&settings.runner, &request);
                if !stopped::blocked_beyond_limit(&again.0, call_case, settings.clock) {
                    (observed, signalled) = again;
                }
            }
            let file = settings.file_of(lesson, Some(&case.function));
            let facts = source::facts(&file, &case.function);
            // A call that returned, used up its virtual time (a deadlock ends at its budget at
            // once), or panicked (other than a `todo!()`): what a second, recorded run can
            // explain.
            let returned = matches!(
                &observed,
                Observed::Report(report) if matches!(
                    report.outcome,
                    Outcome::Returned { .. }
                        | Outcome::VirtualTimeout { .. }
                        | Outcome::Panicked { not_implemented: false, .. }
                )
            );
            let mut result = call::grade(lesson, case, call_case, observed, settings.clock, &facts);
            // A call that returned and failed is run once more, recording, so that its
            // diagnoses can read its trace (`trace`). The same seed replays the same call:
            // its verdict is kept only if it is the first run's (the trace may only add to
            // its message: what still waited at the end), which it is unless the machine
            // made the difference (a blocked-time measure).
            if result.status == Status::Fail
                && returned
                && settings.clock == ClockMode::Virtual
                && !trace::too_large(case)
            {
                let mut recording = request.clone();
                recording.record = true;
                let (again, _) = settings.supervisor.run_case(&settings.runner, &recording);
                let traced = call::grade(lesson, case, call_case, again, settings.clock, &facts);
                if traced.status == result.status && traced.message.starts_with(&result.message) {
                    result = traced;
                }
            }
            if signalled {
                signalled_checker(result)
            } else {
                result
            }
        }
        CaseKind::Source(rule) => {
            let file = settings.file_of(lesson, Some(&case.function));
            source::rules::grade(case, rule, &file, &shown(&file, &settings.root))
        }
    }
}
