//! Verdicts on a whole lesson, once all its cases have run: what no single case can tell.
//!
//! - **Evidence first.** When a source check found the cause (a forbidden `block_on`,
//!   `std::thread::sleep`, a sort), that finding becomes the diagnosis of the lesson's failing
//!   calls, and what the run showed follows as its evidence.
//! - **Sorting in disguise.** A function that collects its results with an order-keeping
//!   combinator (`join_all`, a `for` loop awaiting each handle) cannot return random delays in
//!   ascending order call after call unless it reordered them afterwards.
//! - **An earlier lesson at fault.** A lesson whose functions call a failing earlier lesson's
//!   functions says so, and points at the first lesson to fix.

use super::{Settings, message, source};
use crate::results::{CaseResult, LessonResult, LessonStatus, Reason, Status};
use crate::spec::{CaseKind, Lesson};

/// Fewest values a call must return for an ascending result to prove a reordering: a
/// combinator that keeps start order returns n random delays sorted with probability 1/n!,
/// 1/120 for n = 5, and a case repeats its call (every repeat must come back sorted).
const REORDERED_AT_LEAST: usize = 5;

/// Applies the lesson-wide verdicts to `results` (one per lesson of `lessons`, in order).
pub fn conclude(lessons: &[Lesson], results: &mut [LessonResult], settings: &Settings) {
    for index in 0..lessons.len().min(results.len()) {
        let (lesson, result) = (&lessons[index], &mut results[index]);
        reordered(lesson, result, settings);
        evidence_first(lesson, result, settings);
        let (earlier, rest) = results.split_at_mut(index);
        earlier_lesson_at_fault(lessons, index, earlier, &mut rest[0], settings);
    }
}

/// Whether the case at `index` of `lesson` is a call case.
fn is_call(lesson: &Lesson, index: usize) -> bool {
    lesson
        .cases
        .get(index)
        .is_some_and(|c| matches!(c.kind, CaseKind::Call(_)))
}

/// Fails a passing call case whose ascending result came from an order-keeping combinator.
fn reordered(lesson: &Lesson, result: &mut LessonResult, settings: &Settings) {
    for (case, verdict) in lesson.cases.iter().zip(result.cases.iter_mut()) {
        let CaseKind::Call(call) = &case.kind else {
            continue;
        };
        let n = verdict.observed.value.as_array().map_or(0, Vec::len);
        if !call.expect.ascending || verdict.status != Status::Pass || n < REORDERED_AT_LEAST {
            continue;
        }
        let file = settings.file_of(lesson, Some(&case.function));
        let Some(keeping) = source::facts(&file, &case.function).order_keeping else {
            continue;
        };
        let place = format!("{}:{}", super::shown(&file, &settings.root), keeping.line);
        verdict.status = Status::Fail;
        verdict.points = 0.0;
        verdict.message = message::reordered_message(n);
        verdict.diagnosis = Some(message::reordered(
            &case.function,
            &keeping.what,
            &place,
            call.repeat as usize,
            n,
        ));
        verdict.location = Some(place);
        verdict.reason = Some(Reason::Reordered {
            combinator: keeping.what,
        });
    }
}

/// Makes a source finding the diagnosis of the lesson's failing calls that it explains: those
/// of the function it was found in, and of the functions that call that one.
fn evidence_first(lesson: &Lesson, result: &mut LessonResult, settings: &Settings) {
    let findings: Vec<(String, String, Reason)> = result
        .cases
        .iter()
        .filter(|c| c.status == Status::Fail)
        .filter_map(|c| match (&c.reason, &c.diagnosis) {
            (Some(reason @ Reason::Forbidden { .. }), Some(headline)) => {
                Some((c.function.clone(), headline.clone(), reason.clone()))
            }
            _ => None,
        })
        .collect();
    if findings.is_empty() {
        return;
    }
    for (index, verdict) in result.cases.iter_mut().enumerate() {
        if !is_call(lesson, index) || verdict.status != Status::Fail {
            continue;
        }
        let calls = if findings.iter().any(|(f, ..)| *f == verdict.function) {
            Vec::new()
        } else {
            let file = settings.file_of(lesson, Some(&verdict.function));
            source::facts(&file, &verdict.function).calls
        };
        let explains = findings.iter().find(|(function, ..)| {
            *function == verdict.function
                || calls
                    .iter()
                    .any(|path| path.last().is_some_and(|last| last == function))
        });
        if let Some((_, headline, reason)) = explains {
            lead_with(verdict, headline.clone(), reason.clone());
        }
    }
}

/// Gives `verdict` the diagnosis `headline`; what it said before becomes the evidence, and a
/// source finding's place becomes the place the case points at.
fn lead_with(verdict: &mut CaseResult, headline: String, reason: Reason) {
    let first_line = || verdict.message.lines().next().map(str::to_string);
    let symptom = match &reason {
        // The runtime's guess (a wait that never ends, a lock) was made without knowing that
        // a blocking thread slept in real time: the message, what was observed, is the
        // evidence, and it is shown already.
        Reason::Forbidden {
            on_blocking_thread: true,
            ..
        } => None,
        _ => verdict.diagnosis.take().or_else(first_line),
    }
    .filter(|s| !s.is_empty());
    verdict.evidence = symptom.map(|s| message::evidence(&s));
    verdict.diagnosis = Some(headline);
    if let Reason::Forbidden { location, .. } = &reason
        && verdict.location.is_none()
    {
        verdict.location = Some(location.clone());
    }
    verdict.reason = Some(reason);
}

/// Points the failing calls of lesson `index` at the earlier lesson that fails, when its
/// functions call that lesson's functions (directly, or through another lesson).
fn earlier_lesson_at_fault(
    lessons: &[Lesson],
    index: usize,
    earlier: &[LessonResult],
    result: &mut LessonResult,
    settings: &Settings,
) {
    let lesson = &lessons[index];
    if result.status() != LessonStatus::Failing {
        return;
    }
    let own: Vec<&str> = lesson.cases.iter().map(|c| c.function.as_str()).collect();
    for (case_index, verdict) in result.cases.iter_mut().enumerate() {
        if !is_call(lesson, case_index)
            || verdict.status != Status::Fail
            || matches!(verdict.reason, Some(Reason::Forbidden { .. }))
        {
            continue;
        }
        let file = settings.file_of(lesson, Some(&verdict.function));
        let calls = source::facts(&file, &verdict.function).calls;
        let culprit = calls.iter().find_map(|path| {
            let name = path.last()?;
            if own.contains(&name.as_str()) {
                return None;
            }
            lessons[..index]
                .iter()
                .zip(earlier)
                .rev()
                .find(|(other, _)| {
                    other.cases.iter().any(|c| c.function == *name)
                        && (path.len() == 1 || path.contains(&other.id))
                })
                .map(|(other, other_result)| (name.clone(), other, other_result))
        });
        let Some((via, other, other_result)) = culprit else {
            continue;
        };
        let fails_when_run = other
            .cases
            .iter()
            .zip(&other_result.cases)
            .any(|(c, r)| matches!(c.kind, CaseKind::Call(_)) && r.status == Status::Fail);
        if !fails_when_run {
            continue;
        }
        // The first lesson to fix: the one the culprit itself points at, if it does.
        let (number, id) = match other_result.cases.iter().find_map(|c| match &c.reason {
            Some(Reason::DependsOn { number, lesson }) => Some((*number, lesson.clone())),
            _ => None,
        }) {
            Some(root) => root,
            None => (other.number, other.id.clone()),
        };
        let root_headline = earlier
            .iter()
            .find(|l| l.id == id)
            .and_then(LessonResult::headline)
            .map(str::to_string);
        let headline = message::depends_on(number, &id, &via, root_headline.as_deref());
        lead_with(verdict, headline, Reason::DependsOn { number, lesson: id });
    }
}
