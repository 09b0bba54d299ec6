//! JUnit XML (GitLab, Jenkins, most CI): one testsuite per lesson, one testcase per case.
//!
//! JUnit has no notion of points: they go in properties. Each testcase has `score` and
//! `max_score`; each testsuite has the lesson's `score` and `max_score` and the whole run's
//! `total_score` and `total_max_score` (and `interrupted` = `true` when the run was cut short).

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::human::Context;
use super::machine::{case_text, cut_note};
use crate::report::numbers::format_number;
use crate::results::{LessonResult, Status};

/// Renders the results as JUnit XML.
pub fn render(lessons: &[LessonResult], context: &Context) -> anyhow::Result<String> {
    let mut report = Report::new(format!("asynclings: {}", context.subject));
    let (total, total_max) = crate::points::total(lessons);
    for lesson in lessons {
        let mut suite = TestSuite::new(format!("{:02} {}", lesson.number, lesson.id));
        let (score, max_score) = lesson.score();
        suite.add_property(Property::new("score", format_number(score)));
        suite.add_property(Property::new("max_score", format_number(max_score)));
        suite.add_property(Property::new("total_score", format_number(total)));
        suite.add_property(Property::new("total_max_score", format_number(total_max)));
        if context.interrupted {
            suite.add_property(Property::new("interrupted", "true"));
        }
        if let Some(sandbox) = &context.sandbox {
            suite.add_property(Property::new("sandbox", sandbox.to_string()));
        }
        for case in &lesson.cases {
            let status = match case.status {
                Status::Pass => TestCaseStatus::success(),
                Status::Fail | Status::NotImplemented => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(
                        case.diagnosis
                            .clone()
                            .unwrap_or_else(|| first_line(&case.message)),
                    );
                    status.set_type(if case.status == Status::NotImplemented {
                        "not_implemented"
                    } else {
                        "failure"
                    });
                    status.set_description(case_text(lesson, case));
                    status
                }
                Status::Error => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                    status.set_message(first_line(&case.message));
                    status.set_description(case_text(lesson, case));
                    status
                }
            };
            let mut test = TestCase::new(case.name.clone(), status);
            test.set_classname(format!("{}::{}", lesson.id, case.function));
            test.add_property(Property::new("score", format_number(case.points)));
            test.add_property(Property::new("max_score", format_number(case.max_points)));
            if let Some(real) = case.observed.real {
                test.set_time(asynclings_runner::protocol::seconds(real));
            }
            if !case.observed.stdout.is_empty() || case.observed.stdout_dropped > 0 {
                let mut printed: Vec<String> = case
                    .observed
                    .stdout
                    .iter()
                    .map(|l| l.text.clone())
                    .collect();
                if case.observed.stdout_dropped > 0 {
                    printed.push(cut_note(case.observed.stdout_dropped));
                }
                test.set_system_out(printed.join("\n"));
            }
            suite.add_test_case(test);
        }
        report.add_test_suite(suite);
    }
    Ok(report.to_string()?)
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}
