//! Classroom 50's `result.json` (schema `classroom50/result/v1`, published as
//! `schemas/result-v1.schema.json` in foundation50/classroom50): the file a custom
//! `autograder.py` must leave in the student's checkout. Every top-level field of the schema is
//! written, and nothing else (the schema allows no other). Each case is one test with
//! `test-name`, `passed`, and whole points in `score` and `max-score`; our own fields beside
//! them (the schema keeps a test's extra fields): `lesson`, `status`, `points` and `max-points`
//! (exact, in thousandths), `hidden`, `message` and the run's `seed`.
//!
//! Classroom 50 counts whole points. The course's total is rounded to whole points, shared
//! among the lessons by largest remainder, and each lesson's whole points among its cases the
//! same way ([`crate::points::largest_remainder`]), so the tests add up to the total. A case
//! scores its `max-score` when it passes, 0 otherwise.
//!
//! The identity of the submission comes from the environment Classroom 50's runner gives the
//! autograder (`CLASSROOM`, `ASSIGNMENT`, `ASSIGNMENT_TYPE`, `OWNER` or `USERNAME`,
//! `SUBMISSION_TAG`, `COMMIT_URL`, `RELEASE_URL`, `REVIEW_URL`) and `SUBMISSION_DATETIME` (the
//! graded commit's date, which the pipeline reads from git); outside Classroom 50 each has a
//! placeholder that still satisfies the schema.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::machine::case_text;
use crate::points::{largest_remainder, lesson_millis, round_to_points, to_millis};
use crate::results::Context;
use crate::results::{LessonResult, Status};

/// The schema's name, as `schema` must say it.
pub const SCHEMA: &str = "classroom50/result/v1";

/// Who and what was graded: the fields Classroom 50 checks against the source repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Classroom short name.
    pub classroom: String,
    /// Assignment slug.
    pub assignment: String,
    /// `individual` or `group`.
    pub assignment_type: String,
    /// The repository owner's login.
    pub owner: String,
    /// The `submit/...` tag graded.
    pub submission: String,
    /// Link to the graded commit.
    pub commit: String,
    /// Link to the submission's release.
    pub release: String,
    /// Link to the review diff.
    pub review: String,
    /// When the graded commit was made, `YYYY-MM-DDTHH:MM:SSZ`.
    pub datetime: String,
    /// When this grading ran, `YYYY-MM-DDTHH:MM:SSZ`.
    pub graded_at: String,
}

impl Identity {
    /// From the environment Classroom 50's runner sets, with placeholders for what is missing.
    pub fn from_env() -> Self {
        Self::from_lookup(|key| std::env::var(key).ok(), SystemTime::now())
    }

    /// From `lookup` (an environment) at time `now`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>, now: SystemTime) -> Self {
        let get = |key: &str| {
            lookup(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let now = utc(now);
        let commit = get("COMMIT_URL").unwrap_or_else(|| "local".to_string());
        Self {
            classroom: get("CLASSROOM").unwrap_or_else(|| "local".to_string()),
            assignment: get("ASSIGNMENT").unwrap_or_else(|| "asynclings".to_string()),
            assignment_type: get("ASSIGNMENT_TYPE")
                .filter(|t| t == "individual" || t == "group")
                .unwrap_or_else(|| "individual".to_string()),
            owner: get("OWNER")
                .or_else(|| get("USERNAME"))
                .or_else(|| get("GITHUB_ACTOR"))
                .unwrap_or_else(|| "student".to_string()),
            submission: get("SUBMISSION_TAG")
                .filter(|t| t.starts_with("submit/"))
                .unwrap_or_else(|| "submit/local".to_string()),
            release: get("RELEASE_URL").unwrap_or_else(|| commit.clone()),
            review: get("REVIEW_URL").unwrap_or_else(|| commit.clone()),
            commit,
            datetime: get("SUBMISSION_DATETIME")
                .and_then(|d| normalise_datetime(&d))
                .unwrap_or_else(|| now.clone()),
            graded_at: now,
        }
    }
}

#[derive(Serialize)]
struct Result<'a> {
    schema: &'static str,
    classroom: &'a str,
    assignment: &'a str,
    assignment_type: &'a str,
    owner: &'a str,
    submission: &'a str,
    commit: &'a str,
    release: &'a str,
    review: &'a str,
    datetime: &'a str,
    graded_at: &'a str,
    score: u64,
    #[serde(rename = "max-score")]
    max_score: u64,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    #[serde(rename = "test-name")]
    test_name: String,
    passed: bool,
    score: u64,
    #[serde(rename = "max-score")]
    max_score: u64,
    lesson: String,
    status: Status,
    points: f64,
    #[serde(rename = "max-points")]
    max_points: f64,
    hidden: bool,
    message: String,
    /// The run's seed (`--seed` replays it): the schema allows no field of ours at the top.
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
}

/// Whole points per case, lesson by lesson: the course's total rounded, shared by largest
/// remainder among the lessons, then among each lesson's cases.
pub fn whole_points(lessons: &[LessonResult]) -> Vec<Vec<u64>> {
    let lesson_max: Vec<u64> = lessons.iter().map(|l| lesson_millis(l).1).collect();
    let total = round_to_points(lesson_max.iter().sum());
    let per_lesson = largest_remainder(&lesson_max, total);
    lessons
        .iter()
        .zip(per_lesson)
        .map(|(lesson, whole)| {
            let weights: Vec<u64> = lesson
                .cases
                .iter()
                .map(|c| to_millis(c.max_points))
                .collect();
            largest_remainder(&weights, whole)
        })
        .collect()
}

/// The result document, as JSON.
pub fn render(lessons: &[LessonResult], context: &Context, identity: &Identity) -> String {
    let mut tests = Vec::new();
    for (lesson, whole) in lessons.iter().zip(whole_points(lessons)) {
        for (case, max_score) in lesson.cases.iter().zip(whole) {
            let passed = case.status == Status::Pass;
            let mut message = case_text(lesson, case);
            if context.interrupted && message.is_empty() {
                message = "the run was interrupted".to_string();
            }
            tests.push(Test {
                test_name: format!("{} {}: {}", lesson.number, lesson.id, case.name),
                passed,
                score: if passed { max_score } else { 0 },
                max_score,
                lesson: lesson.id.clone(),
                status: case.status,
                points: case.points,
                max_points: case.max_points,
                hidden: case.hidden,
                message,
                seed: context.seed,
            });
        }
    }
    let result = Result {
        schema: SCHEMA,
        classroom: &identity.classroom,
        assignment: &identity.assignment,
        assignment_type: &identity.assignment_type,
        owner: &identity.owner,
        submission: &identity.submission,
        commit: &identity.commit,
        release: &identity.release,
        review: &identity.review,
        datetime: &identity.datetime,
        graded_at: &identity.graded_at,
        score: tests.iter().map(|t| t.score).sum(),
        max_score: tests.iter().map(|t| t.max_score).sum(),
        tests,
    };
    let mut text = serde_json::to_string_pretty(&result).unwrap_or_default();
    text.push('\n');
    text
}

/// `time` in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// (year, month, day) of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A date as the schema wants it (`2026-06-01T14:32:01Z`), from that form or from git's
/// `%cI` in UTC (`2026-06-01T14:32:01+00:00`); `None` for anything else.
fn normalise_datetime(text: &str) -> Option<String> {
    let base = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))?;
    let bytes = base.as_bytes();
    let shape = bytes.len() == 19
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        });
    shape.then(|| format!("{base}Z"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::CaseResult;
    use std::time::Duration;

    #[test]
    fn dates_are_utc_in_the_schemas_form() {
        assert_eq!(utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_788_000_000);
        assert_eq!(utc(t), "2026-08-29T10:40:00Z");
        assert_eq!(
            normalise_datetime("2026-06-01T14:32:01+00:00").as_deref(),
            Some("2026-06-01T14:32:01Z")
        );
        assert_eq!(normalise_datetime("2026-06-01T14:32:01+02:00"), None);
        assert_eq!(normalise_datetime("yesterday"), None);
    }

    #[test]
    fn the_identity_comes_from_the_runners_environment_or_placeholders() {
        let env = |key: &str| match key {
            "CLASSROOM" => Some("cs-async".to_string()),
            "OWNER" => Some("alice".to_string()),
            "SUBMISSION_TAG" => Some("not-a-submit-tag".to_string()),
            "ASSIGNMENT_TYPE" => Some("team".to_string()),
            _ => None,
        };
        let id = Identity::from_lookup(env, UNIX_EPOCH);
        assert_eq!(id.classroom, "cs-async");
        assert_eq!(id.owner, "alice");
        assert_eq!(id.submission, "submit/local");
        assert_eq!(id.assignment_type, "individual");
        assert_eq!(id.review, id.commit);
        assert_eq!(id.datetime, "1970-01-01T00:00:00Z");
    }

    #[test]
    fn whole_points_keep_the_total() {
        let mut lesson = LessonResult::of_cases(
            (0..7)
                .map(|i| {
                    let status = if i % 2 == 0 {
                        Status::Pass
                    } else {
                        Status::Fail
                    };
                    CaseResult::new(
                        "c",
                        "f",
                        status,
                        crate::points::from_millis(if i < 6 { 143 } else { 142 }),
                        false,
                    )
                })
                .collect(),
        );
        lesson.number = 6;
        let other = LessonResult::of_cases(
            [0.833, 0.833, 0.834]
                .into_iter()
                .map(|max| CaseResult::new("d", "f", Status::Pass, max, false))
                .collect(),
        );
        let whole = whole_points(&[lesson.clone(), other.clone()]);
        // 1 + 2.5 = 3.5 → 4 whole points.
        assert_eq!(whole.iter().flatten().sum::<u64>(), 4);
        assert_eq!(
            whole[0].iter().sum::<u64>() + whole[1].iter().sum::<u64>(),
            4
        );
        let context = Context::quiet("exercises", "virtual");
        let id = Identity::from_lookup(|_| None, UNIX_EPOCH);
        let json: serde_json::Value =
            serde_json::from_str(&render(&[lesson, other], &context, &id)).unwrap();
        assert_eq!(json["schema"], SCHEMA);
        assert_eq!(json["max-score"], 4);
        let tests = json["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 10);
        let sum: u64 = tests.iter().map(|t| t["score"].as_u64().unwrap()).sum();
        assert_eq!(json["score"].as_u64(), Some(sum));
    }
}
