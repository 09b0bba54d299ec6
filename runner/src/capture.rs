//! Captures the process's stdout and stamps every line with the time it was printed.
//!
//! Standard output (fd 1 on Unix, the standard output handle on Windows: see
//! `os::redirect_stdout`) is pointed at a file without a name (`os::unnamed_file`), so the code under test can print as much as
//! the file-size limit allows without ever blocking. The clock only moves while the runtime is
//! parked, so the runtime's park hook notes how many bytes had been written and when: a line
//! gets the time of the first park after it was written (or the end of the case).

use std::fs::File;
use std::io::{self, Write};
use std::sync::Mutex;

use crate::os;
use crate::protocol::Line;

/// Stdout redirected into a temporary file, with (bytes written, time) marks.
pub struct StdoutCapture {
    file: File,
    marks: Mutex<Vec<(u64, f64)>>,
}

impl StdoutCapture {
    /// Redirects standard output into a new temporary file.
    pub fn install() -> io::Result<Self> {
        io::stdout().flush()?;
        let file = os::unnamed_file()?;
        os::redirect_stdout(&file)?;
        Ok(Self {
            file,
            marks: Mutex::new(Vec::new()),
        })
    }

    fn written(&self) -> u64 {
        os::file_len(&self.file).unwrap_or(0)
    }

    /// Notes that whatever has been written so far was written by time `at`.
    pub fn mark(&self, at: f64) {
        let written = self.written();
        let mut marks = self.marks.lock().unwrap_or_else(|e| e.into_inner());
        if marks.last().is_none_or(|&(bytes, _)| bytes < written) {
            marks.push((written, at));
        }
    }

    /// Reads the captured lines (at most `cap` bytes); returns them and the bytes dropped.
    ///
    /// `flush` first writes out what `std::io::stdout` still buffers. That takes stdout's lock,
    /// which the code under test may hold forever (a thread stuck inside `println!`), so the
    /// watchdog reports without it and only loses an unfinished line.
    pub fn finish(&self, end: f64, cap: u64, flush: bool) -> (Vec<Line>, u64) {
        if flush {
            let _ = io::stdout().flush();
        }
        let total = self.written();
        let kept = total.min(cap);
        let mut bytes = vec![0; kept as usize];
        let read = os::read_at(&self.file, &mut bytes, 0).unwrap_or(0);
        bytes.truncate(read);
        let marks = self.marks.lock().unwrap_or_else(|e| e.into_inner());
        (stamp_lines(&bytes, &marks, end), total - bytes.len() as u64)
    }
}

/// Splits `bytes` into lines, each stamped with the first mark that covers its end.
fn stamp_lines(bytes: &[u8], marks: &[(u64, f64)], end: f64) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let stop = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i);
        let ends_at = stop as u64;
        let at = marks
            .iter()
            .find(|&&(written, _)| written > ends_at || (written == ends_at && stop == bytes.len()))
            .map_or(end, |&(_, at)| at);
        let line = &bytes[start..stop];
        let valid = std::str::from_utf8(line).is_ok();
        lines.push(Line {
            text: String::from_utf8_lossy(line).into_owned(),
            at,
            raw: (!valid).then(|| line.to_vec()),
        });
        start = stop + 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_take_the_time_of_the_first_mark_after_them() {
        let bytes = b"Hello\nWorld\n";
        let lines = stamp_lines(bytes, &[(6, 0.0), (12, 1.0)], 1.0);
        assert_eq!(
            lines,
            vec![
                Line {
                    text: "Hello".into(),
                    at: 0.0,
                    raw: None,
                },
                Line {
                    text: "World".into(),
                    at: 1.0,
                    raw: None,
                }
            ]
        );
    }

    #[test]
    fn lines_after_the_last_mark_take_the_end_time() {
        let lines = stamp_lines(b"a\nb\n", &[(2, 0.0)], 2.5);
        assert_eq!(
            lines[1],
            Line {
                text: "b".into(),
                at: 2.5,
                raw: None,
            }
        );
    }

    #[test]
    fn a_last_line_without_newline_is_kept() {
        let lines = stamp_lines(b"a\npartial", &[(9, 3.0)], 4.0);
        assert_eq!(
            lines[1],
            Line {
                text: "partial".into(),
                at: 3.0,
                raw: None,
            }
        );
    }
}
