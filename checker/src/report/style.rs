//! Terminal colors, only where they help: on a terminal, without `NO_COLOR`.

use std::io::IsTerminal;

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
    /// Whether to color output to stdout.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Paints text when colors are on.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether colors are on.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Green: done, passed.
    pub fn good(self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Red: failing.
    pub fn bad(self, text: &str) -> String {
        self.paint("31", text)
    }

    /// Yellow: pending, diagnosis.
    pub fn warn(self, text: &str) -> String {
        self.paint("33", text)
    }

    /// Bold.
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Dim: details.
    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
}
