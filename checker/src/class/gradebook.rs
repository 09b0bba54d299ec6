//! `gradebook.csv`: one row per student, their points per lesson and their total.
//!
//! Columns: `student`, then one per lesson in course order (its id), then `total`. Rows are
//! sorted by student name (byte order), so the same reports always give the same bytes
//! (a merge of shards gives the single run's file). Text cells (names, lesson ids) are quoted
//! and safe from spreadsheets' formulas (`super::csv::text`). Points are exact decimals of
//! milli-points (`crate::points`): `0.143`, `1`, `12.5`; a lesson a student's report lacks
//! (a submission that could not be graded) counts 0. Lines end with `\r\n` (RFC 4180).

use std::collections::BTreeMap;

use super::StudentFile;
use super::csv::Table;

/// The lessons of a class, in course order: `(number, id)` from every report.
pub fn lessons(students: &[StudentFile]) -> Vec<(usize, String)> {
    let mut seen: BTreeMap<(usize, String), ()> = BTreeMap::new();
    for lesson in students.iter().flat_map(|s| &s.lessons) {
        seen.insert((lesson.number, lesson.id.clone()), ());
    }
    seen.into_keys().collect()
}

/// The gradebook of `students` (in any order) as CSV text.
pub fn csv(students: &[StudentFile]) -> String {
    let lessons = lessons(students);
    let mut rows: Vec<&StudentFile> = students.iter().collect();
    rows.sort_by(|a, b| a.class.student.cmp(&b.class.student));
    let mut table = Table::new();
    table.text("student");
    for (_, id) in &lessons {
        table.text(id);
    }
    table.text("total").end_row();
    for student in rows {
        table.text(&student.class.student);
        for (number, id) in &lessons {
            let millis = student
                .lessons
                .iter()
                .find(|l| l.number == *number && l.id == *id)
                .map_or(0, |l| l.millis().0);
            table.number(&decimal(millis));
        }
        table.number(&decimal(student.total_millis())).end_row();
    }
    table.finish()
}

/// Milli-points as an exact decimal: `1000` is `1`, `143` is `0.143`, `12500` is `12.5`.
pub fn decimal(millis: u64) -> String {
    let (whole, thousandths) = (millis / 1000, millis % 1000);
    if thousandths == 0 {
        return whole.to_string();
    }
    let fraction = format!("{thousandths:03}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{CaseView, ClassInfo, LessonView};
    use crate::results::{LessonStatus, Status};

    fn student(name: &str, lessons: &[(usize, &str, &[f64])]) -> StudentFile {
        StudentFile {
            class: ClassInfo {
                student: name.into(),
                ..ClassInfo::default()
            },
            build_errors: Vec::new(),
            lessons: lessons
                .iter()
                .map(|(number, id, points)| LessonView {
                    number: *number,
                    id: (*id).into(),
                    status: LessonStatus::Failing,
                    headline: None,
                    cases: points
                        .iter()
                        .map(|&p| CaseView {
                            name: "c".into(),
                            status: Status::Pass,
                            points: p,
                            max_points: 0.143,
                            ..CaseView::default()
                        })
                        .collect(),
                    ..LessonView::default()
                })
                .collect(),
        }
    }

    #[test]
    fn points_are_exact_decimals() {
        assert_eq!(decimal(0), "0");
        assert_eq!(decimal(1000), "1");
        assert_eq!(decimal(143), "0.143");
        assert_eq!(decimal(12_500), "12.5");
        assert_eq!(decimal(1_010), "1.01");
        // Seven checks of 1 point over 7: 0.143 × 6 + 0.142 is 1, not 0.9999999999999998.
        let sevenths = [0.143, 0.143, 0.143, 0.143, 0.143, 0.143, 0.142];
        let book = csv(&[student("a", &[(6, "wait_n", &sevenths)])]);
        assert_eq!(book, "\"student\",\"wait_n\",\"total\"\r\n\"a\",1,1\r\n");
    }

    #[test]
    fn rows_are_sorted_and_missing_lessons_count_zero() {
        let students = [
            student("zoe", &[(1, "say_hello", &[1.0]), (2, "greet", &[0.5])]),
            student("Doe, Jane", &[]),
            student("al", &[(2, "greet", &[2.0])]),
        ];
        assert_eq!(
            csv(&students),
            "\"student\",\"say_hello\",\"greet\",\"total\"\r\n\"Doe, Jane\",0,0,0\r\n\"al\",0,2,2\r\n\"zoe\",1,0.5,1.5\r\n"
        );
        let mut reversed = students.to_vec();
        reversed.reverse();
        assert_eq!(csv(&reversed), csv(&students));
    }
}
