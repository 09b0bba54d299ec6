//! Grades for the LMS: files that Canvas and Moodle import as they are, with each student's
//! identifiers from the teacher's roster ([`super::roster`]).
//!
//! - `canvas.csv`, Canvas's gradebook import: the columns `Student`, `ID`, `SIS User ID`,
//!   `SIS Login ID`, `Section`, then the assignment's column, named `NAME (ID)` for an
//!   existing assignment (its id in Canvas) or `NAME` for a new one, which Canvas then makes
//!   (Canvas Instructor Guide, "How do I import grades in the Gradebook?",
//!   <https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807>).
//!   Canvas finds each student by `ID`, `SIS User ID` or `SIS Login ID`: every student needs
//!   one of them.
//! - `moodle.csv`, Moodle's "CSV file" grade import: one column per identifier the roster
//!   has (`email`, `idnumber`, `username`), and the assignment's column of grades; at import
//!   one picks the identifier ("Map from" / "Map to": Email address, ID number or
//!   Username) and the grade item the column goes to (Moodle Docs, "Grade import",
//!   <https://docs.moodle.org/en/Grade_import>). Every student needs the identifiers the
//!   file has.
//!
//! The grade is the student's total points (`super::gradebook::decimal`, exact). Rows follow
//! the submission folders' order.

use super::StudentFile;
use super::csv::Table;
use super::gradebook::decimal;
use super::roster::{Entry, Roster};

/// File name of the Canvas export.
pub const CANVAS: &str = "canvas.csv";
/// File name of the Moodle export.
pub const MOODLE: &str = "moodle.csv";

/// The assignment the grades go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Its name in the LMS.
    pub name: String,
    /// Its id in Canvas, when it exists there already.
    pub canvas_id: Option<String>,
}

/// The columns of Canvas's gradebook import before the assignments'.
pub const CANVAS_COLUMNS: [&str; 5] = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];

/// The students (sorted by folder) with their roster entries.
fn mapped<'a>(
    students: &'a [StudentFile],
    roster: &'a Roster,
) -> anyhow::Result<Vec<(&'a StudentFile, &'a Entry)>> {
    let mut sorted: Vec<&StudentFile> = students.iter().collect();
    sorted.sort_by(|a, b| a.class.student.cmp(&b.class.student));
    let names: Vec<&str> = sorted.iter().map(|s| s.class.student.as_str()).collect();
    let entries = roster.map(&names)?;
    Ok(sorted.into_iter().zip(entries).collect())
}

/// An error naming the rows for which `has` is false.
fn require(
    roster: &Roster,
    lms: &str,
    rows: &[(&StudentFile, &Entry)],
    has: impl Fn(&Entry) -> bool,
    what: &str,
) -> anyhow::Result<()> {
    let lacking: Vec<String> = rows
        .iter()
        .filter(|(_, e)| !has(e))
        .map(|(_, e)| format!("row {} (`{}`)", e.row, crate::text::safe::line(&e.folder)))
        .collect();
    anyhow::ensure!(
        lacking.is_empty(),
        "roster {}: {lms} needs {what} for every student; missing on {}",
        roster.file,
        lacking.join(", ")
    );
    Ok(())
}

/// Canvas's gradebook import of `students`.
///
/// # Errors
/// A student has no roster row, or none of Canvas's identifiers.
pub fn canvas(
    students: &[StudentFile],
    roster: &Roster,
    assignment: &Assignment,
) -> anyhow::Result<String> {
    let rows = mapped(students, roster)?;
    require(
        roster,
        "Canvas",
        &rows,
        |e| !(e.canvas_id.is_empty() && e.sis_id.is_empty() && e.sis_login.is_empty()),
        "a canvas_id, sis_id or sis_login",
    )?;
    let mut table = Table::new();
    for column in CANVAS_COLUMNS {
        table.text(column);
    }
    let column = match &assignment.canvas_id {
        Some(id) => format!("{} ({id})", assignment.name),
        None => assignment.name.clone(),
    };
    table.text(&column).end_row();
    for (student, entry) in rows {
        let name = if entry.name.is_empty() {
            &entry.folder
        } else {
            &entry.name
        };
        table
            .text(name)
            .text(&entry.canvas_id)
            .text(&entry.sis_id)
            .text(&entry.sis_login)
            .text(&entry.section)
            .number(&decimal(student.total_millis()))
            .end_row();
    }
    Ok(table.finish())
}

/// A column of Moodle's file: its header and the roster's field it shows.
type Column = (&'static str, fn(&Entry) -> &str);

/// Moodle's grade import of `students`: the identifier columns every student has.
///
/// # Errors
/// A student has no roster row, the roster has none of Moodle's identifiers, or no
/// identifier column is filled for every student.
pub fn moodle(
    students: &[StudentFile],
    roster: &Roster,
    assignment: &Assignment,
) -> anyhow::Result<String> {
    let rows = mapped(students, roster)?;
    let columns: Vec<Column> = [
        (
            "email",
            (|e: &Entry| e.email.as_str()) as fn(&Entry) -> &str,
        ),
        ("idnumber", |e: &Entry| e.sis_id.as_str()),
        ("username", |e: &Entry| e.sis_login.as_str()),
    ]
    .into_iter()
    .filter(|(name, _)| {
        let field = match *name {
            "idnumber" => "sis_id",
            "username" => "sis_login",
            other => other,
        };
        roster.columns.contains(&field)
    })
    .collect();
    anyhow::ensure!(
        !columns.is_empty(),
        "roster {}: Moodle needs an email, sis_id (ID number) or sis_login (username) column",
        roster.file
    );
    // Moodle maps one identifier column: those every student has are written.
    let complete: Vec<Column> = columns
        .iter()
        .copied()
        .filter(|(_, get)| rows.iter().all(|(_, e)| !get(e).is_empty()))
        .collect();
    if complete.is_empty() {
        let (name, get) = columns[0];
        require(
            roster,
            "Moodle",
            &rows,
            |e| !get(e).is_empty(),
            &format!("one identifier column filled (an {name}, say)"),
        )?;
    }
    let columns = complete;
    let mut table = Table::new();
    for (name, _) in &columns {
        table.text(name);
    }
    table.text(&assignment.name).end_row();
    for (student, entry) in rows {
        for (_, get) in &columns {
            table.text(get(entry));
        }
        table.number(&decimal(student.total_millis())).end_row();
    }
    Ok(table.finish())
}

/// Which of Canvas and Moodle the roster can serve: `(canvas, moodle)`.
pub fn targets(roster: &Roster) -> (bool, bool) {
    let has = |c: &str| roster.columns.contains(&c);
    (
        has("canvas_id") || has("sis_id") || has("sis_login"),
        has("email") || has("sis_id") || has("sis_login"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{CaseView, ClassInfo, LessonView};

    fn student(name: &str, points: f64) -> StudentFile {
        StudentFile {
            class: ClassInfo {
                student: name.into(),
                ..ClassInfo::default()
            },
            lessons: vec![LessonView {
                number: 1,
                id: "say_hello".into(),
                cases: vec![CaseView {
                    points,
                    max_points: 2.0,
                    ..CaseView::default()
                }],
                ..LessonView::default()
            }],
            ..StudentFile::default()
        }
    }

    fn assignment(id: Option<&str>) -> Assignment {
        Assignment {
            name: "asynclings".into(),
            canvas_id: id.map(String::from),
        }
    }

    #[test]
    fn canvas_gets_its_documented_columns_and_safe_names() {
        let roster = Roster::parse(
            "r.csv",
            "folder,name,sis_id,sis_login,section\nb,\"=cmd|' /C calc'!A0\",S2,b1,A\na,\"Doe, \"\"JJ\"\" Zoë\",S1,a1,\n",
        )
        .unwrap();
        let text = canvas(
            &[student("b", 1.5), student("a", 2.0)],
            &roster,
            &assignment(Some("42")),
        )
        .unwrap();
        assert_eq!(
            text,
            "\"Student\",\"ID\",\"SIS User ID\",\"SIS Login ID\",\"Section\",\"asynclings (42)\"\r\n\
             \"Doe, \"\"JJ\"\" Zoë\",\"\",\"S1\",\"a1\",\"\",2\r\n\
             \"'=cmd|' /C calc'!A0\",\"\",\"S2\",\"b1\",\"A\",1.5\r\n"
        );
        let rows = crate::class::csv::parse(&text).unwrap();
        assert_eq!(rows[0][..5], CANVAS_COLUMNS);
    }

    #[test]
    fn moodle_gets_an_identifier_column_and_the_grade() {
        let roster = Roster::parse("r.csv", "folder,email\na,a@x.org\n").unwrap();
        let text = moodle(&[student("a", 0.5)], &roster, &assignment(None)).unwrap();
        assert_eq!(text, "\"email\",\"asynclings\"\r\n\"a@x.org\",0.5\r\n");
        assert_eq!(targets(&roster), (false, true));
    }

    #[test]
    fn unmapped_or_unidentified_students_are_errors() {
        let roster = Roster::parse("r.csv", "folder,email,sis_id\na,a@x,\nb,,S2\n").unwrap();
        let class = [student("a", 1.0), student("b", 1.0), student("c", 1.0)];
        let error = canvas(&class, &roster, &assignment(None))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("no row for 1 submission folder(s): `c`"),
            "{error}"
        );
        let error = canvas(&class[..2], &roster, &assignment(None))
            .unwrap_err()
            .to_string();
        assert!(error.contains("Canvas needs a canvas_id"), "{error}");
        assert!(error.contains("row 2 (`a`)"), "{error}");
        let error = moodle(&class[..2], &roster, &assignment(None))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("Moodle needs one identifier column filled"),
            "{error}"
        );
        let roster = Roster::parse("r.csv", "folder,email,sis_id\na,a@x,\nb,b@x,S2\n").unwrap();
        let text = moodle(&class[..2], &roster, &assignment(None)).unwrap();
        assert!(text.starts_with("\"email\",\"asynclings\"\r\n"), "{text}");
    }
}
