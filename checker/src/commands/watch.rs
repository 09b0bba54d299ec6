//! `checker watch`: grades, then grades again on every save of a lesson file, redrawing the
//! screen each time. Keys: `h` hint, `l` list, `q` quit, Enter to check again. A build that
//! fails is shown like any other report, and watching goes on. `--manual` needs no file
//! events: save, then press Enter.
//!
//! Watch mode only reads the student's files: it writes nothing under the watched folder.

mod events;
mod screen;

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use clap::Args;

use crate::exit;
use crate::live::grade_with_progress;
use crate::options::GradeArgs;
use crate::report::Format;
use crate::report::human::{self, Options};
use crate::report::output::shown_results;
use crate::report::style::Style;
use crate::session::{Graded, Session};

use events::{Event, Key};
use screen::Screen;

/// Options of `checker watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Grading options: a lesson, `--solutions`, `--clock`, `--color`, ...
    #[command(flatten)]
    pub grade: GradeArgs,

    /// Do not wait for file events: save, then press Enter to check again. For folders where
    /// saves are not noticed (network drives, WSL on a Windows drive).
    #[arg(long)]
    pub manual: bool,
}

/// What the screen shows besides the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    /// The progress and the next lesson.
    Report,
    /// The same, with the lesson's hint.
    Hint,
    /// One line per lesson.
    List,
}

impl View {
    /// The view after pressing the key of `other`: it, or back to the report.
    fn toggle(self, other: View) -> View {
        if self == other { View::Report } else { other }
    }
}

/// What watch mode knows between events.
struct Watch<'a> {
    session: &'a Session,
    screen: Screen,
    view: View,
    /// The last check: a report, or why there is none.
    last: Option<Result<Graded, String>>,
    /// Whether checks wait for Enter rather than for saves.
    manual: bool,
    /// The watched folder, as shown.
    watched: String,
    /// Something to tell the student above the keys (file events stopped, WSL).
    notice: Option<String>,
}

/// Runs `checker watch` until `q`.
pub fn run(args: &WatchArgs) -> Result<u8, crate::exit::Error> {
    if args.grade.format != Format::Human || args.grade.output.is_some() {
        return Err(crate::exit::Error::Usage(anyhow::anyhow!(
            "`checker watch` draws for people and takes no --format or --output; `checker --format json` writes a report"
        )));
    }
    let session = Session::new(&args.grade)?;
    let package_dir = session.root.join(&session.options.package);
    let watched = format!("{}/", crate::grade::shown(&package_dir, &session.root));
    let (send, receive) = std::sync::mpsc::channel();
    let mut notice = wsl_notice(&package_dir);
    let watcher = if args.manual {
        None
    } else {
        match events::watch_files(&package_dir, send.clone()) {
            Ok(watcher) => Some(watcher),
            Err(error) => {
                notice = Some(format!(
                    "Saves cannot be watched here ({error:#}): save, then press Enter to check."
                ));
                None
            }
        }
    };
    let screen = Screen::open(session.options.terminal);
    events::read_keys(send, screen.raw(), session.supervisor.clone());
    let mut watch = Watch {
        session: &session,
        screen,
        view: View::Report,
        last: None,
        manual: watcher.is_none(),
        watched,
        notice,
    };
    watch.screen.print(&watch.intro());
    watch.check();
    watch.run_loop(&receive);
    drop(watcher);
    let watched = watch.watched.clone();
    // Leave raw mode before the last words.
    drop(watch);
    // The terminal may be gone (closed window: SIGHUP), and println! would panic.
    let _ = writeln!(
        std::io::stdout(),
        "Stopped watching. Your files in {watched} are as you saved them."
    );
    Ok(exit::PASS)
}

impl Watch<'_> {
    /// Reacts to events until the student quits (or Ctrl-C stops grading).
    fn run_loop(&mut self, receive: &Receiver<Event>) {
        let mut pending = VecDeque::new();
        loop {
            if self.session.supervisor.cancel().is_cancelled() {
                return;
            }
            let event = match pending.pop_front() {
                Some(event) => event,
                None => match receive.recv_timeout(Duration::from_millis(250)) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => return,
                },
            };
            match event {
                Event::Saved(_) => {
                    // Saves that are already waiting are covered by this one check.
                    while let Ok(next) = receive.try_recv() {
                        if !matches!(next, Event::Saved(_)) {
                            pending.push_back(next);
                        }
                    }
                    self.check();
                }
                Event::Key(Key::Quit) => return,
                Event::Key(Key::Check) => self.check(),
                Event::Key(Key::Hint) => {
                    self.view = self.view.toggle(View::Hint);
                    self.draw();
                }
                Event::Key(Key::List) => {
                    self.view = self.view.toggle(View::List);
                    self.draw();
                }
                Event::Key(Key::Other) | Event::Resize => self.draw(),
                Event::WatchFailed(error) => {
                    self.manual = true;
                    self.notice = Some(format!(
                        "File events stopped ({error}): save, then press Enter to check."
                    ));
                    self.draw();
                }
            }
        }
    }

    /// What is printed before the first check (which may build for a while).
    fn intro(&self) -> String {
        let how = if self.manual {
            "again each time you press Enter"
        } else {
            "again on every save"
        };
        let mut lines = vec![format!(
            "checker watch: grading {} now, and {how}. The first build can take a minute.",
            self.watched
        )];
        if !self.manual {
            lines.push("Where saves are not noticed (network drives, WSL), run `checker watch --manual` and press Enter to check.".to_string());
        }
        let width = self.session.options.stdout.at_current_width().width;
        lines
            .iter()
            .flat_map(|line| human::wrap(line, width, 0))
            .map(|line| line + "\n")
            .collect()
    }

    /// Grades (building first), then draws the result. A failure to grade is shown, not fatal.
    fn check(&mut self) {
        self.screen.print("\nChecking…\n");
        self.last = Some(grade_with_progress(self.session).map_err(|error| format!("{error:#}")));
        self.draw();
    }

    /// Clears the screen and draws the current view.
    fn draw(&self) {
        let style = self.session.options.style;
        let options = Options {
            style,
            terminal: self.session.options.stdout.at_current_width(),
            list: false,
            hint: self.view == View::Hint,
        };
        let body = match &self.last {
            None => String::new(),
            Some(Err(error)) => format!(
                "{}\n{}\n\nWatching goes on: fix the problem and save again.\n",
                style.bad("The checker could not grade:"),
                crate::text::safe::lines(error)
            ),
            Some(Ok(graded)) => {
                let results = shown_results(&graded.results, self.session.options.show_hidden);
                match self.view {
                    View::List => human::render_list(&results, &options),
                    View::Report | View::Hint => {
                        human::render_with(&results, &graded.context, &options)
                    }
                }
            }
        };
        self.screen.draw(&format!(
            "{body}{}",
            self.footer(options.terminal.width, style)
        ));
    }

    /// The keys, and how checks are started.
    fn footer(&self, width: Option<usize>, style: Style) -> String {
        let hint = if self.view == View::Hint {
            "h hide hint"
        } else {
            "h hint"
        };
        let list = if self.view == View::List {
            "l back to the lesson"
        } else {
            "l list"
        };
        let how = if self.manual {
            format!(
                "Save your file, then press Enter to check {}.",
                self.watched
            )
        } else {
            format!(
                "Watching {} for saves. Saves not noticed (network drive, WSL)? Use `checker watch --manual`.",
                self.watched
            )
        };
        let rule = "─".repeat(width.unwrap_or(60).clamp(1, 60));
        let mut lines = vec![
            String::new(),
            style.dim(&rule),
            format!(
                "{} {hint} · {list} · q quit · Enter check again",
                style.bold("Keys:")
            ),
        ];
        lines.extend(self.notice.iter().map(|n| style.warn(n)));
        lines.push(style.dim(&how));
        lines
            .iter()
            .flat_map(|line| human::wrap(line, width, 0))
            .map(|line| line + "\n")
            .collect()
    }
}

/// A warning for WSL with the files on a Windows drive, where file events do not arrive.
fn wsl_notice(dir: &Path) -> Option<String> {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok()?;
    let on_windows_drive = std::path::absolute(dir).ok()?.starts_with("/mnt");
    (release.to_lowercase().contains("microsoft") && on_windows_drive).then(|| {
        "This looks like WSL with your files on a Windows drive: if saves are not noticed, use `checker watch --manual`.".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::View;

    #[test]
    fn a_views_key_opens_it_and_closes_it() {
        assert_eq!(View::Report.toggle(View::Hint), View::Hint);
        assert_eq!(View::Hint.toggle(View::Hint), View::Report);
        assert_eq!(View::Hint.toggle(View::List), View::List);
        assert_eq!(View::List.toggle(View::List), View::Report);
    }
}
