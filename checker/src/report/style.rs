//! Terminal colors, only where they help: on a terminal, without `NO_COLOR`. And what else a
//! terminal can do for a report: its width, a progress bar, clickable paths.

use anstyle::AnsiColor;
use std::path::Path;

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to color output to stdout, when it is a `terminal` or not, with `NO_COLOR`
    /// set (`no_color`) or not.
    pub fn enabled_on(self, terminal: bool, no_color: bool) -> bool {
        match self {
            // A console that cannot show ANSI colors (Windows before 10) gets escapes it asked
            // for, but never by default.
            ColorChoice::Always => {
                crate::os::enable_ansi_colors();
                true
            }
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && terminal && crate::os::enable_ansi_colors(),
        }
    }
}

/// Whether `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether the locale says UTF-8 ([`locale_says_utf8`] of the environment); Windows
/// terminals do. Read once, by `options::Machine::detect`.
pub fn utf8_locale() -> bool {
    cfg!(windows) || locale_says_utf8(|name| std::env::var(name).ok())
}

/// Whether the locale says UTF-8: the first of `LC_ALL`, `LC_CTYPE` and `LANG` that `var`
/// finds set and not empty names `UTF-8` or `utf8`, in any case.
pub fn locale_says_utf8(var: impl Fn(&str) -> Option<String>) -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .unwrap_or_default()
        .to_ascii_lowercase();
    locale.contains("utf-8") || locale.contains("utf8")
}

/// A style with foreground `color`.
fn fg(color: AnsiColor) -> anstyle::Style {
    anstyle::Style::new().fg_color(Some(color.into()))
}

/// How text for people looks: painted when colors are on, and drawn (a timeline) with block
/// characters where the locale speaks UTF-8. Decided once, with the terminal
/// (`options::stdout_of`).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether colors are on.
    pub color: bool,
    /// Whether drawings may use block characters (`█`); ASCII (`#`) when not.
    pub unicode: bool,
}

impl Style {
    /// No colour and ASCII drawings: what a report written for a file or a test looks like.
    pub const PLAIN: Style = Style {
        color: false,
        unicode: false,
    };

    fn paint(self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// Green: done, passed.
    pub fn good(self, text: &str) -> String {
        self.paint(fg(AnsiColor::Green), text)
    }

    /// Red: failing.
    pub fn bad(self, text: &str) -> String {
        self.paint(fg(AnsiColor::Red), text)
    }

    /// Yellow: pending, diagnosis.
    pub fn warn(self, text: &str) -> String {
        self.paint(fg(AnsiColor::Yellow), text)
    }

    /// Bold.
    pub fn bold(self, text: &str) -> String {
        self.paint(anstyle::Style::new().bold(), text)
    }

    /// Dim: details.
    pub fn dim(self, text: &str) -> String {
        self.paint(anstyle::Style::new().dimmed(), text)
    }

    /// Cyan and underlined: a path to open.
    pub fn path(self, text: &str) -> String {
        self.paint(fg(AnsiColor::Cyan).underline(), text)
    }
}

/// What the output device can do besides colors. [`Terminal::none`] for files and pipes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Columns to wrap prose at; `None` leaves lines whole (a file, a pipe).
    pub width: Option<usize>,
    /// Whether to draw a progress bar.
    pub bar: bool,
    /// Whether paths are OSC 8 hyperlinks (clickable in terminals that support them).
    pub hyperlinks: bool,
}

/// Narrowest width prose is wrapped to: below it, the terminal's own wrapping does better.
pub const MIN_WIDTH: usize = 20;

impl Terminal {
    /// Not a terminal: no wrapping, no bar, no links.
    pub fn none() -> Self {
        Self::default()
    }

    /// The same terminal at its width now (a terminal may be resized while `watch` runs).
    pub fn at_current_width(self) -> Self {
        if self.bar {
            Self {
                width: current_width(),
                ..self
            }
        } else {
            self
        }
    }
}

/// The terminal's width in columns, when there is one.
pub fn current_width() -> Option<usize> {
    crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
        .filter(|&w| w > 0)
}

/// Whether the terminal is known to understand OSC 8 hyperlinks. `FORCE_HYPERLINK=1` or `=0`
/// decides; otherwise known terminals say yes, and unknown ones (tmux, screen, the Linux
/// console) get plain text rather than escape codes they might show.
pub fn hyperlinks_supported() -> bool {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(forced) = var("FORCE_HYPERLINK") {
        return forced != "0";
    }
    if var("TERM").as_deref() == Some("dumb") || var("TMUX").is_some() {
        return false;
    }
    let program = var("TERM_PROGRAM").unwrap_or_default();
    let term = var("TERM").unwrap_or_default();
    [
        "iTerm.app",
        "WezTerm",
        "vscode",
        "ghostty",
        "Hyper",
        "Tabby",
        "rio",
    ]
    .contains(&program.as_str())
        || ["xterm-kitty", "alacritty", "foot", "xterm-ghostty"].contains(&term.as_str())
        || var("VTE_VERSION").and_then(|v| v.parse::<u32>().ok()) >= Some(5000)
        || var("WT_SESSION").is_some()
        || var("KONSOLE_VERSION").is_some()
        || var("DOMTERM").is_some()
}

/// `text` as an OSC 8 hyperlink to the file at `path` (made absolute).
pub fn hyperlink(text: &str, path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!(
        "\x1b]8;;file://{}\x1b\\{text}\x1b]8;;\x1b\\",
        percent_encode(&absolute.to_string_lossy())
    )
}

/// Escapes what may not stand in a URL path.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The columns `text` takes on screen: escape sequences (colors, links) take none.
pub fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            width += 1;
            continue;
        }
        match chars.next() {
            // CSI: up to a final byte in @..~.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ESC \.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' {
                        break;
                    }
                    if c == '\x1b' {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    width
}

/// A progress bar `width` cells wide, `done` of `total` filled: in proportion, rounded down,
/// but one cell as soon as anything is done and one left empty until everything is (a course
/// longer than the bar still shows its first lesson done).
pub fn bar(done: usize, total: usize, width: usize, style: Style) -> String {
    let mut filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    if done > 0 && width > 0 {
        filled = filled.max(1);
    }
    if done < total && width > 1 {
        filled = filled.min(width - 1);
    }
    format!(
        "{}{}",
        style.good(&"█".repeat(filled)),
        style.dim(&"░".repeat(width - filled))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Style = Style::PLAIN;
    const COLOR: Style = Style {
        color: true,
        unicode: false,
    };

    #[test]
    fn the_locale_says_utf8_in_its_first_variable_set() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_string())
            }
        };
        assert!(locale_says_utf8(env(&[("LANG", "en_GB.UTF-8")])));
        assert!(locale_says_utf8(env(&[("LC_CTYPE", "C.utf8")])));
        assert!(!locale_says_utf8(env(&[("LANG", "C")])));
        assert!(!locale_says_utf8(env(&[])));
        // LC_ALL wins over LANG, either way.
        assert!(!locale_says_utf8(env(&[
            ("LC_ALL", "C"),
            ("LANG", "en_US.UTF-8")
        ])));
        assert!(locale_says_utf8(env(&[
            ("LC_ALL", "de_DE.UTF-8"),
            ("LANG", "C")
        ])));
        // An empty variable is not set.
        assert!(locale_says_utf8(env(&[
            ("LC_ALL", ""),
            ("LANG", "fr_FR.utf8")
        ])));
    }

    #[test]
    fn escape_sequences_take_no_columns() {
        assert_eq!(visible_width(&COLOR.bad("✗ broken")), 8);
        assert_eq!(visible_width(&hyperlink("a.rs:3", Path::new("/x/a.rs"))), 6);
        assert_eq!(visible_width("plain"), 5);
    }

    #[test]
    fn a_bar_is_as_wide_as_asked_and_filled_in_proportion() {
        assert_eq!(bar(3, 12, 12, PLAIN), "███░░░░░░░░░");
        assert_eq!(bar(0, 0, 4, PLAIN), "░░░░");
        assert_eq!(bar(12, 12, 5, PLAIN), "█████");
        // The first of 25 lessons shows on a bar of 24 cells; the last missing one too.
        assert_eq!(bar(1, 25, 24, PLAIN), format!("█{}", "░".repeat(23)));
        assert_eq!(bar(24, 25, 4, PLAIN), "███░");
        assert_eq!(visible_width(&bar(5, 12, 20, COLOR)), 20);
    }

    #[test]
    fn hyperlinks_point_at_absolute_escaped_paths() {
        let link = hyperlink("x", Path::new("/tmp/my lessons/01.rs"));
        assert_eq!(
            link,
            "\x1b]8;;file:///tmp/my%20lessons/01.rs\x1b\\x\x1b]8;;\x1b\\"
        );
    }
}
