//! The terminal of `checker watch`: raw mode for single keys, cleared and redrawn on each
//! check, and put back as it was when watch mode ends, even by a panic.

use std::io::Write;

use crossterm::{cursor, execute, terminal};

/// The screen watch mode draws on.
#[derive(Debug)]
pub struct Screen {
    /// Keys come one at a time from the terminal (raw mode is on).
    raw: bool,
    /// Stdout is a terminal: redraws clear it.
    terminal: bool,
}

impl Screen {
    /// Takes the terminal: raw mode when stdin and stdout are both terminals (`streams`, read
    /// once: [`crate::options::Machine`]).
    pub fn open(streams: crate::options::Streams) -> Self {
        let terminal = streams.stdout;
        let raw = terminal && streams.stdin && terminal::enable_raw_mode().is_ok();
        if raw {
            let _ = execute!(std::io::stdout(), cursor::Hide);
        }
        Self { raw, terminal }
    }

    /// Whether keys arrive one at a time (else one command per line of input).
    pub fn raw(&self) -> bool {
        self.raw
    }

    /// Clears the screen (on a terminal; elsewhere a blank line separates screens) and draws
    /// `text`.
    pub fn draw(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        if self.terminal {
            let _ = execute!(
                stdout,
                terminal::Clear(terminal::ClearType::All),
                cursor::MoveTo(0, 0)
            );
        } else {
            let _ = stdout.write_all(b"\n");
        }
        let _ = stdout.write_all(self.lines(text).as_bytes());
        let _ = stdout.flush();
    }

    /// Adds `text` under what is on screen.
    pub fn print(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(self.lines(text).as_bytes());
        let _ = stdout.flush();
    }

    /// In raw mode a newline no longer returns the cursor to the start of the line.
    fn lines(&self, text: &str) -> String {
        if self.raw {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if self.raw {
            let _ = execute!(std::io::stdout(), cursor::Show);
            let _ = terminal::disable_raw_mode();
        }
    }
}
