//! Results for lessons that could not be graded because code does not compile: every case of
//! a lesson whose file does not build is an error carrying the compiler's messages, and a
//! case of another lesson that called such a lesson's stub says which lesson it needs.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cargo_build::CompileError;
use crate::grade::{self, message};
use crate::results::Context;
use crate::results::{CaseResult, LessonResult, Reason, Status};
use crate::spec::Lesson;

use super::{Broken, BrokenLesson};

/// Results for a build that failed and could not be isolated: each lesson's compiler errors
/// (`broken`, and `stray` errors placed by their file), every case an error.
pub fn does_not_compile(
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
pub fn with_broken_lessons(
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
