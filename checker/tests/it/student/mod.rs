//! Driving the checker as a student does: in a real terminal (tmux), with keys and saves.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Whether tmux can be run here.
pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A tmux server of its own (its own socket, no user configuration) with one pane.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `command` (run by `sh -c`) in a detached pane of `columns` × `rows`. When the
    /// command ends, the pane says `[exited N]` and stays for a while, to be read.
    pub fn start(name: &str, columns: u16, rows: u16, command: &str) -> Self {
        let socket = format!("asynclings-{name}-{}", std::process::id());
        let tmux = Self { socket };
        let script = format!("{command}; echo \"[exited $?]\"; sleep 600");
        let status = tmux
            .command()
            .args(["new-session", "-d", "-s", "student", "-x"])
            .arg(columns.to_string())
            .arg("-y")
            .arg(rows.to_string())
            .args(["sh", "-c", &script])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket, "-f", "/dev/null"]);
        command
    }

    /// Types `keys` (tmux key names: `h`, `Enter`, `C-c`).
    pub fn send(&self, keys: &str) {
        let status = self
            .command()
            .args(["send-keys", "-t", "student", keys])
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// The screen as text; `escapes` keeps colors as escape sequences, `join` joins lines the
    /// terminal wrapped.
    pub fn capture(&self, escapes: bool, join: bool) -> String {
        let mut command = self.command();
        command.args(["capture-pane", "-p", "-t", "student"]);
        if escapes {
            command.arg("-e");
        }
        if join {
            command.arg("-J");
        }
        let output = command.output().expect("tmux capture-pane");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The screen once `ready` holds for it, or a panic with the last screen after `limit`.
    pub fn wait_for(&self, what: &str, limit: Duration, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.capture(false, false);
            if ready(&screen) {
                // Let a redraw that is under way finish, then read the screen it left.
                std::thread::sleep(Duration::from_millis(300));
                let settled = self.capture(false, false);
                if ready(&settled) {
                    return settled;
                }
                continue;
            }
            assert!(
                Instant::now() < deadline,
                "waited {limit:?} for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").status();
    }
}

/// A screen as it reads: trailing spaces and blank lines gone.
pub fn trimmed(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    lines[..end].join("\n") + "\n"
}

/// Every file under `dir`, with its bytes.
pub fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// Quotes `text` for `sh`.
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
