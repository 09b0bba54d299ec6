//! Misconception clusters: per lesson, the students whose lesson is not done, grouped by the
//! mechanism their failing case shows, so that a teacher reads "31 students: ran one after
//! another" once, not 31 rows.
//!
//! The mechanism is the lesson's headline in each student's report (the trace-based
//! diagnosis of its first failing case) with its numbers masked
//! (`crate::text::numbers::mask_numbers`: the delays drawn and times measured differ from
//! student to student); a lesson with no diagnosis is grouped by what the report does say:
//! it does not compile, it is not started, it could not be graded, or which case fails.
//! Written to `clusters.csv` and shown on the dashboard.

use std::collections::BTreeMap;

use super::StudentFile;
use super::csv::Table;
use crate::results::{LessonStatus, Status};
use crate::text::numbers::mask_numbers;

/// The clusters' file name in an output folder.
pub const FILE: &str = "clusters.csv";

/// Students who share a mechanism in one lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cluster {
    /// The lesson's number.
    pub number: usize,
    /// The lesson's id.
    pub lesson: String,
    /// What they share: the diagnosis as the first student (by name) got it, or what their
    /// reports say when there is none.
    pub mechanism: String,
    /// Whether `mechanism` is a diagnosis of the checker (not a status).
    pub diagnosed: bool,
    /// The students, sorted.
    pub students: Vec<String>,
}

/// The clusters of `students` (any order): by lesson number, then most students first, then
/// by mechanism.
pub fn of(students: &[StudentFile]) -> Vec<Cluster> {
    let mut sorted: Vec<&StudentFile> = students.iter().collect();
    sorted.sort_by(|a, b| a.class.student.cmp(&b.class.student));
    let mut groups: BTreeMap<(usize, String, String), Cluster> = BTreeMap::new();
    for student in sorted {
        for lesson in student
            .lessons
            .iter()
            .filter(|l| l.status != LessonStatus::Done)
        {
            let (mechanism, diagnosed) = match (&lesson.headline, lesson.status) {
                (Some(headline), _) => (headline.clone(), true),
                (None, LessonStatus::DoesNotCompile) => ("does not compile".to_string(), false),
                (None, LessonStatus::Pending) => ("not started yet (the stub)".to_string(), false),
                (None, LessonStatus::Error) => ("could not be graded".to_string(), false),
                (None, _) => match lesson.cases.iter().find(|c| c.status != Status::Pass) {
                    Some(case) => (format!("fails \"{}\" with no diagnosis", case.name), false),
                    None => ("not done".to_string(), false),
                },
            };
            groups
                .entry((lesson.number, lesson.id.clone(), mask_numbers(&mechanism)))
                .or_insert_with(|| Cluster {
                    number: lesson.number,
                    lesson: lesson.id.clone(),
                    mechanism,
                    diagnosed,
                    students: Vec::new(),
                })
                .students
                .push(student.class.student.clone());
        }
    }
    let mut clusters: Vec<Cluster> = groups.into_values().collect();
    clusters.sort_by(|a, b| {
        a.number
            .cmp(&b.number)
            .then(b.students.len().cmp(&a.students.len()))
            .then(a.mechanism.cmp(&b.mechanism))
    });
    clusters
}

/// `clusters.csv`: `lesson`, `mechanism`, `diagnosed` (yes/no), `students` (how many),
/// `names` (`; ` between them).
pub fn csv(clusters: &[Cluster]) -> String {
    let mut table = Table::new();
    table.text_row(&["lesson", "mechanism", "diagnosed", "students", "names"]);
    for cluster in clusters {
        table
            .text(&format!("{:02} {}", cluster.number, cluster.lesson))
            .text(&cluster.mechanism)
            .text(if cluster.diagnosed { "yes" } else { "no" })
            .number(&cluster.students.len().to_string())
            .text(&cluster.students.join("; "))
            .end_row();
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{CaseView, ClassInfo, LessonView};

    fn student(name: &str, status: LessonStatus, headline: Option<&str>) -> StudentFile {
        StudentFile {
            class: ClassInfo {
                student: name.into(),
                ..ClassInfo::default()
            },
            lessons: vec![LessonView {
                number: 6,
                id: "wait_n".into(),
                status,
                headline: headline.map(String::from),
                cases: vec![
                    CaseView {
                        name: "n = 0".into(),
                        status: Status::Pass,
                        ..CaseView::default()
                    },
                    CaseView {
                        name: "ten delays".into(),
                        status: if status == LessonStatus::Done {
                            Status::Pass
                        } else {
                            Status::Fail
                        },
                        ..CaseView::default()
                    },
                ],
                ..LessonView::default()
            }],
            ..StudentFile::default()
        }
    }

    #[test]
    fn students_are_grouped_by_mechanism_with_numbers_masked() {
        let class = [
            student(
                "zed",
                LessonStatus::Failing,
                Some("ran one after another: took 23.1 s"),
            ),
            student(
                "amy",
                LessonStatus::Failing,
                Some("ran one after another: took 9 s"),
            ),
            student("bob", LessonStatus::Done, None),
            student("cy", LessonStatus::Failing, None),
            student("dee", LessonStatus::DoesNotCompile, None),
            student(
                "eve",
                LessonStatus::Failing,
                Some("off by one: returned 9 delays"),
            ),
        ];
        let clusters = of(&class);
        let shown: Vec<(&str, Vec<&str>)> = clusters
            .iter()
            .map(|c| {
                (
                    c.mechanism.as_str(),
                    c.students.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("ran one after another: took 9 s", vec!["amy", "zed"]),
                ("does not compile", vec!["dee"]),
                ("fails \"ten delays\" with no diagnosis", vec!["cy"]),
                ("off by one: returned 9 delays", vec!["eve"]),
            ]
        );
        let text = csv(&clusters);
        assert!(
            text.starts_with("\"lesson\",\"mechanism\",\"diagnosed\",\"students\",\"names\"\r\n\"06 wait_n\",\"ran one after another: took 9 s\",\"yes\",2,\"amy; zed\"\r\n"),
            "{text}"
        );
    }
}
