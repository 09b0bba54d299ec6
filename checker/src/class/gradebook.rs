//! `gradebook.csv`: one row per student, their points per lesson and their total.
//!
//! Columns: `student`, then one per lesson in course order (its id), then `total`. Rows are
//! sorted by student name (byte order), so the same reports always give the same bytes
//! (a merge of shards gives the single run's file). Points are exact decimals of
//! milli-points (`crate::points`): `0.143`, `1`, `12.5`; a lesson a student's report lacks
//! (a submission that could not be graded) counts 0. Lines end with `\r\n` (RFC 4180).

use std::collections::BTreeMap;

use super::StudentFile;

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
    let mut out = String::new();
    let mut header = vec!["student".to_string()];
    header.extend(lessons.iter().map(|(_, id)| id.clone()));
    header.push("total".into());
    push_row(&mut out, &header);
    for student in rows {
        let mut row = vec![student.class.student.clone()];
        for (number, id) in &lessons {
            let millis = student
                .lessons
                .iter()
                .find(|l| l.number == *number && l.id == *id)
                .map_or(0, |l| l.millis().0);
            row.push(decimal(millis));
        }
        row.push(decimal(student.total_millis()));
        push_row(&mut out, &row);
    }
    out
}

fn push_row(out: &mut String, fields: &[String]) {
    let escaped: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.push_str(&escaped.join(","));
    out.push_str("\r\n");
}

/// One CSV field: quoted (with `"` doubled) when it holds a comma, a quote, a line break or
/// spaces at its ends; and, when a spreadsheet would read it as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return), prefixed with `'` so that it stays text.
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    let needs_quotes =
        text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
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
                    status: "failing".into(),
                    headline: None,
                    cases: points
                        .iter()
                        .map(|&p| CaseView {
                            name: "c".into(),
                            status: "pass".into(),
                            points: p,
                            max_points: 0.143,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn fields_are_escaped_for_csv_and_spreadsheets() {
        assert_eq!(field("alice"), "alice");
        assert_eq!(field("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field(" padded"), "\" padded\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@sum"), "'@sum");
        assert_eq!(field("Zoë"), "Zoë");
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
        assert_eq!(book, "student,wait_n,total\r\na,1,1\r\n");
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
            "student,say_hello,greet,total\r\n\"Doe, Jane\",0,0,0\r\nal,0,2,2\r\nzoe,1,0.5,1.5\r\n"
        );
        let mut reversed = students.to_vec();
        reversed.reverse();
        assert_eq!(csv(&reversed), csv(&students));
    }
}
