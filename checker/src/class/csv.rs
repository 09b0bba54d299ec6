//! CSV as the class's files write it (gradebook, LMS exports, clusters, similarity): one
//! function, [`text`], makes any text safe for a spreadsheet, and [`Table`] puts rows
//! together (RFC 4180: `,` between cells, `\r\n` after each row).
//!
//! A cell whose text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or their
//! full-width forms, possibly after tabs, carriage returns, line feeds or spaces) gets a `'`
//! in front, and so does every such start after a `,`, `;` or tab inside the text: a
//! spreadsheet in a locale whose list separator is `;` (or one told to split on tabs) may
//! split a cell there, and each piece would be read on its own. Every text cell is quoted,
//! with `"` doubled, so that no separator inside it starts a new cell. Numbers
//! ([`Table::number`]) stay bare, so that they stay numbers.

/// The characters that start a formula in Excel, LibreOffice or Google Sheets (with the
/// full-width forms some of them also read).
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '＝', '＋', '－', '＠'];
/// Characters a spreadsheet skips before looking for a formula start.
const LEADING: &[char] = &['\t', '\r', '\n', ' '];
/// Separators a spreadsheet may split a cell's text on.
const SEPARATORS: &[char] = &[',', ';', '\t'];

/// `text` as one quoted CSV cell that no spreadsheet reads as a formula, in whichever of
/// `,`, `;` or tab it splits on: see the module's documentation.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut at_start = true;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if at_start {
            let next = chars[i..].iter().find(|c| !LEADING.contains(c));
            if next.is_some_and(|c| FORMULA_STARTS.contains(c)) {
                out.push('\'');
            }
            at_start = false;
        }
        if c == '"' {
            out.push('"');
        }
        out.push(c);
        if SEPARATORS.contains(&c) {
            at_start = true;
        }
    }
    out.push('"');
    out
}

/// A CSV file being written: rows of cells, each made with [`text`] or [`Table::number`].
#[derive(Debug, Clone, Default)]
pub struct Table {
    out: String,
    row: Vec<String>,
}

impl Table {
    /// An empty table.
    pub fn new() -> Table {
        Table::default()
    }

    /// Adds a text cell to the current row.
    pub fn text(&mut self, cell: &str) -> &mut Table {
        self.row.push(text(cell));
        self
    }

    /// Adds a number cell (an exact decimal such as `gradebook::decimal` writes): bare, as
    /// a spreadsheet reads numbers. Anything that is not digits and one `.` is written as
    /// text instead.
    pub fn number(&mut self, cell: &str) -> &mut Table {
        let is_number = !cell.is_empty()
            && cell.chars().all(|c| c.is_ascii_digit() || c == '.')
            && cell.matches('.').count() <= 1
            && !cell.starts_with('.')
            && !cell.ends_with('.');
        self.row.push(if is_number {
            cell.to_string()
        } else {
            text(cell)
        });
        self
    }

    /// Adds an empty cell.
    pub fn empty(&mut self) -> &mut Table {
        self.row.push(String::new());
        self
    }

    /// Ends the current row.
    pub fn end_row(&mut self) -> &mut Table {
        self.out.push_str(&self.row.join(","));
        self.out.push_str("\r\n");
        self.row.clear();
        self
    }

    /// Adds a row of text cells.
    pub fn text_row<S: AsRef<str>>(&mut self, cells: &[S]) -> &mut Table {
        for cell in cells {
            self.text(cell.as_ref());
        }
        self.end_row()
    }

    /// The file's text (a row not ended is left out).
    pub fn finish(&self) -> String {
        self.out.clone()
    }
}

/// Splits CSV text (RFC 4180: quoted cells with `""` for a quote, `\r\n` or `\n` between
/// rows) into rows of cells, for the roster a teacher gives. A leading byte-order mark is
/// skipped; blank lines are left out.
///
/// # Errors
/// A quoted cell is not closed ([`CsvError::Unclosed`], with the row it starts on).
pub fn parse(input: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut chars = input.chars().peekable();
    let (mut line, mut quoted_from) = (1usize, None::<usize>);
    while let Some(c) = chars.next() {
        if quoted_from.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted_from = None,
                _ => {
                    line += usize::from(c == '\n');
                    cell.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() => quoted_from = Some(line),
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                row.push(std::mem::take(&mut cell));
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
            }
            _ => cell.push(c),
        }
    }
    if let Some(start) = quoted_from {
        return Err(CsvError::Unclosed { row: start });
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

/// Why CSV text cannot be read ([`parse`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// A quoted cell is never closed; it starts on `row` (from 1).
    #[error("row {row}: a quoted cell is never closed")]
    Unclosed {
        /// The row the cell starts on, from 1.
        row: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_cell_is_quoted_with_quotes_doubled() {
        assert_eq!(text("alice"), "\"alice\"");
        assert_eq!(text("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text("two\nlines"), "\"two\nlines\"");
        assert_eq!(text("Zoë Łukasiewicz 山田"), "\"Zoë Łukasiewicz 山田\"");
        assert_eq!(text(""), "\"\"");
    }

    #[test]
    fn formula_starts_are_neutralised_at_the_start_and_after_every_separator() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for start in ["+1", "-1", "@SUM(A1)", "＝1", "＠x"] {
            assert_eq!(text(start), format!("\"'{start}\""), "{start}");
        }
        // After leading tabs, carriage returns or spaces, which a spreadsheet skips.
        // (A tab is also a separator: the piece after it is neutralised too.)
        assert_eq!(text("\t=1"), "\"'\t'=1\"");
        assert_eq!(text("\r\n @x"), "\"'\r\n @x\"");
        // A `;`-locale spreadsheet splitting the cell finds no formula either.
        assert_eq!(text("x;=1+1;@SUM(1)"), "\"x;'=1+1;'@SUM(1)\"");
        assert_eq!(text("a,-b\t+c"), "\"a,'-b\t'+c\"");
        assert_eq!(text("a; \t=b"), "\"a;' \t'=b\"");
        // Not at a cell's start: left alone.
        assert_eq!(text("a-b=c"), "\"a-b=c\"");
        assert_eq!(text("a@b.org"), "\"a@b.org\"");
    }

    #[test]
    fn each_piece_a_spreadsheet_could_split_off_is_safe() {
        let nasty = "x;=1+1;@SUM(1),\t-2, +3;\r=4\"\"";
        let cell = text(nasty);
        let inner = &cell[1..cell.len() - 1];
        for piece in inner.split([',', ';', '\t']) {
            let start = piece.trim_start_matches(LEADING);
            assert!(
                !start.starts_with(FORMULA_STARTS),
                "{piece:?} of {cell:?} starts a formula"
            );
        }
    }

    #[test]
    fn numbers_stay_bare_and_anything_else_is_text() {
        let mut table = Table::new();
        table
            .text("a")
            .number("12.5")
            .number("0")
            .number("-1")
            .number("1e3");
        table.empty().end_row();
        assert_eq!(table.finish(), "\"a\",12.5,0,\"'-1\",\"1e3\",\r\n");
    }

    #[test]
    fn what_is_written_parses_back() {
        let names = ["Doe, Jane", "say \"hi\"", "two\nlines", "Zoë"];
        let mut table = Table::new();
        table.text_row(&names);
        let rows = parse(&table.finish()).unwrap();
        assert_eq!(rows, [names.map(String::from).to_vec()]);
        assert_eq!(
            parse("\u{feff}a,b\n\n1,\"2\"\r\n").unwrap(),
            [vec!["a", "b"], vec!["1", "2"]]
        );
        assert_eq!(parse("a\n\"b,c\n"), Err(CsvError::Unclosed { row: 2 }));
    }
}
