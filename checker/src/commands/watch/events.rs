//! What `checker watch` reacts to: saves under the watched folder (debounced), and keys.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{self, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::supervise::Supervisor;

/// How long a burst of file events must be quiet before it counts as one save.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Something `checker watch` reacts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Lesson sources were saved (debounced): these paths.
    Saved(Vec<PathBuf>),
    /// A key.
    Key(Key),
    /// The terminal changed size.
    Resize,
    /// File events stopped arriving: the watcher reported this error.
    WatchFailed(String),
}

/// The keys `checker watch` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// `h`: show or hide the hint.
    Hint,
    /// `l`: show or hide the list of lessons.
    List,
    /// `q`, Ctrl-C or Ctrl-D: stop watching.
    Quit,
    /// Enter or `r`: check again now.
    Check,
    /// Anything else.
    Other,
}

/// Whether a changed path is worth a new check: Rust sources and manifests, not an editor's
/// swap, backup or probe files.
pub fn is_lesson_source(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let hidden_or_backup = name.starts_with('.') || name.starts_with('#') || name.ends_with('~');
    !hidden_or_backup
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "toml")
        )
}

/// Watches `dir` (recursively) and sends [`Event::Saved`] for lesson sources saved in it.
/// Only changes count: the compiler and the checker reading a file (open, close) do not.
/// Keep the returned debouncer alive: dropping it stops the watching.
pub fn watch_files(
    dir: &Path,
    events: Sender<Event>,
) -> anyhow::Result<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let event = match result {
            Ok(changes) => {
                let mut paths: Vec<PathBuf> = changes
                    .into_iter()
                    .filter(|change| !matches!(change.event.kind, EventKind::Access(_)))
                    .flat_map(|change| change.event.paths)
                    .filter(|path| is_lesson_source(path))
                    .collect();
                if paths.is_empty() {
                    return;
                }
                paths.sort();
                paths.dedup();
                Event::Saved(paths)
            }
            Err(errors) => Event::WatchFailed(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        // The receiver is gone only when watch mode is ending.
        let _ = events.send(event);
    })
    .context("cannot start watching files")?;
    debouncer
        .watch(dir, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", dir.display()))?;
    Ok(debouncer)
}

/// Reads keys on a thread of its own: from the terminal in raw mode when `raw` (`q` and Ctrl-C
/// also stop a check under way), else one command per line of stdin (`h`, `l`, `q`, an empty
/// line to check again). Quitting from the terminal interrupts the run `supervisor` watches.
pub fn read_keys(events: Sender<Event>, raw: bool, supervisor: Supervisor) {
    std::thread::spawn(move || {
        if raw {
            read_terminal(&events, &supervisor);
        } else {
            read_lines(&events);
        }
    });
}

fn read_terminal(events: &Sender<Event>, supervisor: &Supervisor) {
    loop {
        let event = match event::read() {
            Ok(event::Event::Key(key)) => match key_of(key) {
                Some(key) => Event::Key(key),
                None => continue,
            },
            Ok(event::Event::Resize(..)) => Event::Resize,
            Ok(_) => continue,
            Err(_) => Event::Key(Key::Quit),
        };
        let quit = event == Event::Key(Key::Quit);
        if quit {
            // Quitting while cases run: start no more, end the running ones.
            supervisor.interrupt();
        }
        if events.send(event).is_err() || quit {
            return;
        }
    }
}

fn read_lines(events: &Sender<Event>) {
    // Commands typed ahead wait their turn: `q` quits after the check under way, not during it.
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let key = key_of_line(&line);
        if events.send(Event::Key(key)).is_err() || key == Key::Quit {
            return;
        }
    }
    // The end of input (`< /dev/null`): no more commands, but saves still count; Ctrl-C stops.
}

/// The key a terminal key press means, if any (releases and repeats mean none).
pub fn key_of(key: KeyEvent) -> Option<Key> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let control = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c' | 'd') if control => Key::Quit,
        _ if control || key.modifiers.contains(KeyModifiers::ALT) => Key::Other,
        KeyCode::Char('q' | 'Q') => Key::Quit,
        KeyCode::Char('h' | 'H') => Key::Hint,
        KeyCode::Char('l' | 'L') => Key::List,
        KeyCode::Char('r' | 'R') | KeyCode::Enter => Key::Check,
        _ => Key::Other,
    })
}

/// The key a line of input means.
pub fn key_of_line(line: &str) -> Key {
    match line.trim() {
        "" | "r" => Key::Check,
        "q" | "quit" | "exit" => Key::Quit,
        "h" | "hint" => Key::Hint,
        "l" | "list" => Key::List,
        _ => Key::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count_as_saves() {
        for path in ["exercises/src/01_say_hello.rs", "exercises/Cargo.toml"] {
            assert!(is_lesson_source(Path::new(path)), "{path}");
        }
        for path in [
            "exercises/src/.01_say_hello.rs.swp",
            "exercises/src/01_say_hello.rs~",
            "exercises/src/4913",
            "exercises/src/#01_say_hello.rs#",
            "exercises/src/.#01_say_hello.rs",
            "exercises/README.md",
        ] {
            assert!(!is_lesson_source(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn keys_mean_what_the_footer_says() {
        let press = |code, modifiers| key_of(KeyEvent::new(code, modifiers));
        assert_eq!(
            press(KeyCode::Char('h'), KeyModifiers::NONE),
            Some(Key::Hint)
        );
        assert_eq!(
            press(KeyCode::Char('l'), KeyModifiers::NONE),
            Some(Key::List)
        );
        assert_eq!(
            press(KeyCode::Char('q'), KeyModifiers::NONE),
            Some(Key::Quit)
        );
        assert_eq!(
            press(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Key::Quit)
        );
        assert_eq!(
            press(KeyCode::Char('h'), KeyModifiers::CONTROL),
            Some(Key::Other)
        );
        assert_eq!(press(KeyCode::Enter, KeyModifiers::NONE), Some(Key::Check));
        assert_eq!(
            press(KeyCode::Char('x'), KeyModifiers::NONE),
            Some(Key::Other)
        );
        let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(key_of(release), None);
    }

    #[test]
    fn lines_are_keys_too() {
        assert_eq!(key_of_line(""), Key::Check);
        assert_eq!(key_of_line(" q "), Key::Quit);
        assert_eq!(key_of_line("h"), Key::Hint);
        assert_eq!(key_of_line("l"), Key::List);
        assert_eq!(key_of_line("what"), Key::Other);
    }

    #[test]
    fn reading_a_file_is_not_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("01_say_hello.rs");
        std::fs::write(&file, "fn a() {}").unwrap();
        let (send, receive) = std::sync::mpsc::channel();
        let _watcher = watch_files(dir.path(), send).unwrap();
        for _ in 0..3 {
            std::fs::read_to_string(&file).unwrap();
        }
        let event = receive.recv_timeout(DEBOUNCE * 5);
        assert!(event.is_err(), "{event:?}");
    }

    #[test]
    fn a_save_under_the_watched_folder_arrives_as_one_event() {
        let dir = tempfile::tempdir().unwrap();
        let (send, receive) = std::sync::mpsc::channel();
        let _watcher = watch_files(dir.path(), send).unwrap();
        let file = dir.path().join("01_say_hello.rs");
        std::fs::write(&file, "fn a() {}").unwrap();
        std::fs::write(&file, "fn b() {}").unwrap();
        std::fs::write(dir.path().join(".01_say_hello.rs.swp"), "x").unwrap();
        let event = receive.recv_timeout(Duration::from_secs(10)).unwrap();
        let Event::Saved(paths) = event else {
            panic!("{event:?}")
        };
        assert_eq!(paths.len(), 1, "{paths:?}");
        assert!(paths[0].ends_with("01_say_hello.rs"), "{paths:?}");
    }
}
