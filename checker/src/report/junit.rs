//! JUnit XML (GitLab, Jenkins, most CI): one testsuite per lesson, one testcase per case.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::machine::case_text;
use crate::results::{LessonResult, Status};

/// Renders the results as JUnit XML.
pub fn render(lessons: &[LessonResult], subject: &str) -> anyhow::Result<String> {
    let mut report = Report::new(format!("asynclings: {subject}"));
    for lesson in lessons {
        let mut suite = TestSuite::new(format!("{:02} {}", lesson.number, lesson.id));
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
            if let Some(real) = case.observed.real {
                test.set_time(asynclings_runner::protocol::seconds(real));
            }
            if !case.observed.stdout.is_empty() {
                let printed: Vec<&str> = case
                    .observed
                    .stdout
                    .iter()
                    .map(|l| l.text.as_str())
                    .collect();
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
