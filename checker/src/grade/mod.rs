//! Grades lessons: runs every call case in its own process (in parallel on the virtual clock),
//! reads the source checks, and gathers the results in spec order.

pub mod call;
pub mod checks;
pub mod source;
pub mod uniform;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use asynclings_runner::protocol::{ClockMode, FunctionInfo};

use crate::results::{CaseResult, LessonResult, Status};
use crate::spec::{CaseKind, Lesson};
use crate::supervise::{self, Runner};

/// How to grade.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The runner of the implementation under test.
    pub runner: Runner,
    /// What the runner can call.
    pub manifest: Vec<FunctionInfo>,
    /// The clock cases run on.
    pub clock: ClockMode,
    /// Cases run at once.
    pub jobs: usize,
    /// The workspace root, to show paths relative to it.
    pub root: PathBuf,
    /// Folder of the implementation's lesson files, for lessons whose functions are unknown.
    pub src_dir: PathBuf,
}

/// Set when the run should stop (Ctrl-C): cases not started yet are not run.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Shows `path` relative to `root` when it is inside it.
pub fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
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
    fn restore_changed(&self) -> Vec<String> {
        let mut changed = Vec::new();
        for (path, bytes) in &self.files {
            if std::fs::read(path).ok().as_ref() != Some(bytes) {
                changed.push(path.display().to_string());
                let _ = std::fs::write(path, bytes);
            }
        }
        changed
    }
}

/// Grades `lessons`; `on_result` sees each case as it finishes (for progress).
pub fn grade(
    lessons: &[Lesson],
    settings: &Settings,
    on_result: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<LessonResult> {
    let jobs: Vec<(usize, usize)> = lessons
        .iter()
        .enumerate()
        .flat_map(|(l, lesson)| (0..lesson.cases.len()).map(move |c| (l, c)))
        .collect();
    let slots: Vec<Mutex<Option<CaseResult>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = settings.jobs.clamp(1, jobs.len().max(1));
    let guard = SpecGuard::new(lessons);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(l, c)) = jobs.get(index) else {
                        break;
                    };
                    if STOP.load(Ordering::Relaxed) {
                        break;
                    }
                    let mut result = grade_case(&lessons[l], c, settings);
                    if STOP.load(Ordering::Relaxed) {
                        // Cut short by Ctrl-C: its verdict would be the interruption's, not its own.
                        break;
                    }
                    let changed = guard.restore_changed();
                    if !changed.is_empty() {
                        result.status = Status::Error;
                        result.points = 0.0;
                        result.message = format!(
                            "the code under test changed or deleted spec files ({}); they were restored, and this verdict cannot be trusted",
                            changed.join(", ")
                        );
                    }
                    on_result(&result);
                    *slots[index].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    let mut slots = slots
        .into_iter()
        .map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner()));
    lessons
        .iter()
        .map(|lesson| LessonResult {
            number: lesson.number,
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            file: shown(&settings.file_of(lesson, None), &settings.root),
            hint: lesson.hint.clone(),
            // Cases that did not run (interrupted) are left out: what finished is kept.
            cases: slots.by_ref().take(lesson.cases.len()).flatten().collect(),
            compile_errors: Vec::new(),
        })
        .collect()
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
            let request = call::request(lesson, case, call_case, settings.clock);
            let observed = supervise::run_case(&settings.runner, &request);
            call::grade(lesson, case, call_case, observed, settings.clock)
        }
        CaseKind::Source(rule) => {
            let file = settings.file_of(lesson, Some(&case.function));
            source::grade(case, rule, &file, &shown(&file, &settings.root))
        }
    }
}
