//! The roster a teacher gives (`--roster FILE`): who each submission folder is in the LMS.
//!
//! A CSV file with a header row. Columns, in any order, named case-insensitively (other
//! columns are ignored):
//!
//! | column | also named | what |
//! |---|---|---|
//! | `folder` | `submission` | the student's submission folder (required) |
//! | `name` | `student` | the name the LMS shows ("Doe, Jane") |
//! | `email` | | Moodle's "Email address" |
//! | `sis_id` | `sis user id`, `idnumber`, `id number` | Canvas's "SIS User ID", Moodle's "ID number" |
//! | `sis_login` | `sis login id`, `username`, `login` | Canvas's "SIS Login ID", Moodle's "Username" |
//! | `canvas_id` | `id` | Canvas's own user "ID" |
//! | `section` | | Canvas's "Section" |

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;

/// One student of the roster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The row it is on (from 1, the header being row 1).
    pub row: usize,
    /// Their submission folder.
    pub folder: String,
    /// The name the LMS shows (empty: none given).
    pub name: String,
    /// Email address.
    pub email: String,
    /// SIS user id (Moodle's ID number).
    pub sis_id: String,
    /// SIS login id (Moodle's username).
    pub sis_login: String,
    /// Canvas's own user id.
    pub canvas_id: String,
    /// Canvas section.
    pub section: String,
}

/// A roster: its entries by submission folder, and which identifier columns it has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// The file it was read from (for messages).
    pub file: String,
    /// Entries by folder.
    pub entries: BTreeMap<String, Entry>,
    /// The identifier columns it has: `email`, `sis_id`, `sis_login`, `canvas_id`.
    pub columns: Vec<&'static str>,
}

/// The roster's columns: (field, the names it may have).
const COLUMNS: &[(&str, &[&str])] = &[
    ("folder", &["folder", "submission"]),
    ("name", &["name", "student"]),
    ("email", &["email", "email address", "e-mail"]),
    (
        "sis_id",
        &["sis_id", "sis user id", "idnumber", "id number"],
    ),
    (
        "sis_login",
        &["sis_login", "sis login id", "username", "login"],
    ),
    ("canvas_id", &["canvas_id", "id"]),
    ("section", &["section"]),
];

impl Roster {
    /// Reads the roster at `path`.
    ///
    /// # Errors
    /// The file cannot be read, has no `folder` column, a row has no folder, a folder or an
    /// identifier (email, SIS id, login, Canvas id) is on two rows, or an identifier starts
    /// like a spreadsheet formula (it could not be exported unchanged): each error names the
    /// file and the rows.
    pub fn read(path: &Path) -> anyhow::Result<Roster> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the roster {}", path.display()))?;
        Roster::parse(&path.display().to_string(), &text)
    }

    /// Reads a roster's text; `file` names it in errors.
    ///
    /// # Errors
    /// As [`Roster::read`].
    pub fn parse(file: &str, text: &str) -> anyhow::Result<Roster> {
        let rows = super::csv::parse(text).map_err(|e| anyhow::anyhow!("roster {file}: {e}"))?;
        let Some((header, rows)) = rows.split_first() else {
            anyhow::bail!("roster {file} is empty: it needs a header row with a `folder` column");
        };
        let position = |field: &str| {
            let names = COLUMNS
                .iter()
                .find(|c| c.0 == field)
                .map_or(&[][..], |c| c.1);
            header
                .iter()
                .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
        };
        let Some(folder_at) = position("folder") else {
            anyhow::bail!(
                "roster {file} has no `folder` column (the submission folder of each student); its header is: {}",
                header.join(", ")
            );
        };
        let at: BTreeMap<&str, Option<usize>> = COLUMNS
            .iter()
            .map(|(field, _)| (*field, position(field)))
            .collect();
        let mut roster = Roster {
            file: file.to_string(),
            columns: ["email", "sis_id", "sis_login", "canvas_id"]
                .into_iter()
                .filter(|c| at[c].is_some())
                .collect(),
            ..Roster::default()
        };
        let mut seen: BTreeMap<(&str, String), usize> = BTreeMap::new();
        let mut problems = Vec::new();
        for (i, cells) in rows.iter().enumerate() {
            let row = i + 2;
            let cell = |field: &str| {
                at[field]
                    .and_then(|k| cells.get(k))
                    .map(|c| c.trim().to_string())
                    .unwrap_or_default()
            };
            let entry = Entry {
                row,
                folder: cells.get(folder_at).cloned().unwrap_or_default(),
                name: cell("name"),
                email: cell("email"),
                sis_id: cell("sis_id"),
                sis_login: cell("sis_login"),
                canvas_id: cell("canvas_id"),
                section: cell("section"),
            };
            if entry.folder.trim().is_empty() {
                problems.push(format!("row {row} has no folder"));
                continue;
            }
            for (field, value) in [
                ("folder", &entry.folder),
                ("email", &entry.email),
                ("sis_id", &entry.sis_id),
                ("sis_login", &entry.sis_login),
                ("canvas_id", &entry.canvas_id),
            ] {
                if value.is_empty() {
                    continue;
                }
                if field != "folder" && super::csv::text(value) != format!("\"{value}\"") {
                    problems.push(format!(
                        "row {row}: the {field} `{}` starts like a spreadsheet formula and could not be exported unchanged",
                        crate::text::safe::line(value)
                    ));
                }
                if let Some(first) = seen.insert((field, value.to_lowercase()), row) {
                    problems.push(format!(
                        "the {field} `{}` is on rows {first} and {row}: each student once, each identifier once",
                        crate::text::safe::line(value)
                    ));
                }
            }
            roster.entries.insert(entry.folder.clone(), entry);
        }
        if !problems.is_empty() {
            anyhow::bail!("roster {file}: {}", problems.join("; "));
        }
        Ok(roster)
    }

    /// The entries of `students` (submission folders), in their order.
    ///
    /// # Errors
    /// Some student has no row: the error names every one of them and the roster.
    pub fn map<'a>(&'a self, students: &[&str]) -> anyhow::Result<Vec<&'a Entry>> {
        let missing: Vec<String> = students
            .iter()
            .filter(|s| !self.entries.contains_key(**s))
            .map(|s| format!("`{}`", crate::text::safe::line(s)))
            .collect();
        if !missing.is_empty() {
            anyhow::bail!(
                "roster {} has no row for {} submission folder(s): {}; add a row for each (its `folder` cell is the folder's name)",
                self.file,
                missing.len(),
                missing.join(", ")
            );
        }
        Ok(students
            .iter()
            .filter_map(|s| self.entries.get(*s))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_any_of_their_names_in_any_order() {
        let roster = Roster::parse(
            "r.csv",
            "Email,Folder,SIS User ID,Name\r\nzoe@x.org,Zoë,S2,\"Łukasz, Zoë\"\nal@x.org,al,S1,Al\n",
        )
        .unwrap();
        assert_eq!(roster.columns, ["email", "sis_id"]);
        let zoe = &roster.entries["Zoë"];
        assert_eq!((zoe.row, zoe.email.as_str()), (2, "zoe@x.org"));
        assert_eq!(zoe.name, "Łukasz, Zoë");
        let mapped = roster.map(&["al", "Zoë"]).unwrap();
        assert_eq!(mapped[0].sis_id, "S1");
    }

    #[test]
    fn bad_rosters_say_where_and_what() {
        let no_folder = Roster::parse("r.csv", "email\na@x\n")
            .unwrap_err()
            .to_string();
        assert!(no_folder.contains("no `folder` column"), "{no_folder}");
        let twice = Roster::parse("r.csv", "folder,email\na,x@y\nb,X@y\na,z@y\n")
            .unwrap_err()
            .to_string();
        assert!(twice.contains("email `X@y` is on rows 2 and 3"), "{twice}");
        assert!(twice.contains("folder `a` is on rows 2 and 4"), "{twice}");
        let formula = Roster::parse("r.csv", "folder,sis_id\na,=1+1\n")
            .unwrap_err()
            .to_string();
        assert!(formula.contains("row 2: the sis_id `=1+1`"), "{formula}");
        let roster = Roster::parse("r.csv", "folder,email\na,a@x\n").unwrap();
        let missing = roster.map(&["a", "b", "c, d"]).unwrap_err().to_string();
        assert!(
            missing.contains("2 submission folder(s): `b`, `c, d`"),
            "{missing}"
        );
    }
}
