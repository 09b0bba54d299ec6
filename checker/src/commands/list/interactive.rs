//! `checker list` on a terminal: the lessons with a cursor. Keys: ↑/↓ (or k/j) move, Enter
//! (or e) opens the lesson in `--edit-cmd`, `$VISUAL` or `$EDITOR`, g grades it again, r puts
//! its stub back (keeping the student's version, `crate::stub`), q quits.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};

use crate::exit::{Error, ResultExt as _};
use crate::options::GradeArgs;
use crate::report::human::{self, Options};
use crate::report::style::Style;
use crate::results::LessonResult;
use crate::session::Session;

/// The keys, as the screen's last line says them.
const KEYS: &str = "↑/↓ move · Enter open · g grade · r reset · q quit";

/// The terminal in raw mode on the alternate screen while it lives.
struct Screen;

impl Screen {
    fn open() -> anyhow::Result<Self> {
        terminal::enable_raw_mode()?;
        execute!(
            std::io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide
        )?;
        Ok(Screen)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = execute!(
            std::io::stdout(),
            cursor::Show,
            terminal::LeaveAlternateScreen
        );
        let _ = terminal::disable_raw_mode();
    }
}

/// Runs the list until the student quits; `results` are every lesson's, graded.
pub fn run(
    args: &GradeArgs,
    root: &Path,
    mut results: Vec<LessonResult>,
    style: Style,
    edit_cmd: Option<&str>,
) -> Result<u8, Error> {
    let mut selected = human::next_lesson(&results)
        .and_then(|next| results.iter().position(|l| l.id == next.id))
        .unwrap_or(0);
    let mut status = String::new();
    let mut screen = Some(Screen::open().or_fail(Error::Io)?);
    loop {
        draw(&results, selected, style, &status).or_fail(Error::Io)?;
        let Event::Key(key) = event::read().or_fail(Error::Io)? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => break,
            KeyCode::Char('c' | 'd') if ctrl => break,
            KeyCode::Up | KeyCode::Char('k') => selected = selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                selected = (selected + 1).min(results.len().saturating_sub(1));
            }
            KeyCode::Enter | KeyCode::Char('e') => {
                let Some(lesson) = results.get(selected) else {
                    continue;
                };
                // The editor gets the terminal as it was.
                drop(screen.take());
                status = open(edit_cmd, &root.join(&lesson.file));
                screen = Some(Screen::open().or_fail(Error::Io)?);
            }
            KeyCode::Char('g') => {
                let Some(lesson) = results.get(selected) else {
                    continue;
                };
                status = format!("grading lesson {} ({})…", lesson.number, lesson.id);
                draw(&results, selected, style, &status).or_fail(Error::Io)?;
                status = match grade_one(args, &lesson.id) {
                    Ok(graded) => {
                        let words = format!("graded lesson {} ({})", lesson.number, lesson.id);
                        results[selected] = graded;
                        words
                    }
                    Err(error) => format!("{error:#}"),
                };
            }
            KeyCode::Char('r') => {
                let Some(lesson) = results.get(selected) else {
                    continue;
                };
                status = match crate::stub::reset(root, &lesson.file) {
                    Ok(outcome) => crate::stub::said(&outcome, &lesson.file),
                    Err(error) => format!("{error:#}"),
                };
            }
            _ => {}
        }
    }
    drop(screen);
    Ok(0)
}

/// Grades one lesson again.
fn grade_one(args: &GradeArgs, id: &str) -> Result<LessonResult, Error> {
    let session = Session::new(&GradeArgs {
        lesson: Some(id.to_string()),
        no_timeline: true,
        ..args.clone()
    })?;
    let graded = session.grade(&|_| {})?;
    graded
        .results
        .into_iter()
        .next()
        .ok_or_else(|| Error::Usage(anyhow::anyhow!("lesson {id} was not graded")))
}

/// Opens `file` in the editor; says what happened.
fn open(edit_cmd: Option<&str>, file: &Path) -> String {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let Some(command) = edit_cmd
        .map(str::to_string)
        .or_else(|| var("VISUAL"))
        .or_else(|| var("EDITOR"))
    else {
        return format!(
            "no editor: give --edit-cmd, or set EDITOR. The file is {}",
            file.display()
        );
    };
    let mut words = command.split_whitespace();
    let Some(program) = words.next() else {
        return "the editor command is empty".to_string();
    };
    match Command::new(program).args(words).arg(file).status() {
        Ok(status) if status.success() => format!("edited {}", file.display()),
        Ok(status) => format!("`{command}` ended with {status}"),
        Err(error) => format!("cannot run `{command}`: {error}"),
    }
}

/// The list with the selected lesson marked, a status line, and the keys.
fn draw(
    results: &[LessonResult],
    selected: usize,
    style: Style,
    status: &str,
) -> anyhow::Result<()> {
    let text = human::render_list(results, &Options::plain(style));
    let mut screen = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == selected {
            screen.push('>');
            screen.push_str(line.get(1..).unwrap_or_default());
        } else {
            screen.push_str(line);
        }
        screen.push_str("\r\n");
    }
    screen.push_str(&format!("{}\r\n{KEYS}\r\n", status.replace('\n', "\r\n")));
    let mut stdout = std::io::stdout().lock();
    execute!(
        stdout,
        terminal::Clear(terminal::ClearType::All),
        cursor::MoveTo(0, 0)
    )?;
    stdout.write_all(screen.as_bytes())?;
    stdout.flush()?;
    Ok(())
}
