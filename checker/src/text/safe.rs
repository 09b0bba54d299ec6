//! Untrusted text made safe for a terminal: what the code under test printed, its panic
//! messages, its stderr, and compiler output quoting its source.
//!
//! Every control character is shown as an escape (`\x1b`, `\0`, `\r`, `\t`), so no byte of
//! student output can move the cursor, clear the screen, retitle the window or ring the bell.
//! Characters that print as nothing (zero-width spaces and joiners, bidirectional overrides, a
//! byte-order mark, a soft hyphen) are shown as `\u{200b}` and the like, since they decide
//! comparisons the reader could not see (`Hello\u{200b}` is not `Hello`). Bytes that are not
//! UTF-8 are shown as `\xff`. The JSON report keeps the text as it is: JSON escapes it.
//! In an HTML page ([`html`]) the same escapes apply, and `& < > " '` become entities.

use std::fmt::Write;

/// Whether `c` prints as nothing, or reorders what follows, on a terminal.
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Appends `c`, escaped when it is a control or invisible character.
fn push_char(out: &mut String, c: char) {
    match c {
        '\0' => out.push_str("\\0"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\\' => out.push('\\'),
        c if (c as u32) < 0x100 && c.is_control() => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if c.is_control() || invisible(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// One line of untrusted text, every control and invisible character escaped (a newline too).
pub fn line(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() || invisible(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    text.chars().for_each(|c| push_char(&mut out, c));
    out
}

/// Untrusted text of several lines: each line escaped as [`line()`], the newlines kept.
pub fn lines(text: &str) -> String {
    text.split('\n').map(line).collect::<Vec<_>>().join("\n")
}

/// Untrusted bytes: valid UTF-8 escaped as [`line()`], every other byte shown as `\xNN`.
pub fn bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        chunk.valid().chars().for_each(|c| push_char(&mut out, c));
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

/// Untrusted text for an HTML page, in an element or a quoted attribute: control and
/// invisible characters shown as [`line()`] shows them (newlines kept), then `&`, `<`, `>`, `"`
/// and `'` as entities, so that no student-controlled string can open a tag or an attribute.
pub fn html(text: &str) -> String {
    let shown = lines(text);
    let mut out = String::with_capacity(shown.len() + 16);
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Compiler output rendered for a terminal: its color sequences (`ESC [ digits ; m`) are kept
/// when `color` is on and dropped otherwise; every other control character is escaped, since
/// the compiler quotes the student's source.
pub fn compiler(text: &str, color: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, part) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let mut rest = part;
        while let Some(start) = rest.find('\x1b') {
            out.push_str(&line(&rest[..start]));
            let after = &rest[start + 1..];
            let sgr = after.strip_prefix('[').and_then(|params| {
                let end = params.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
                (params[end..].starts_with('m')).then_some(end + 2)
            });
            match sgr {
                Some(length) => {
                    if color {
                        out.push_str(&rest[start..start + 1 + length]);
                    }
                    rest = &after[length..];
                }
                None => {
                    out.push_str("\\x1b");
                    rest = after;
                }
            }
        }
        out.push_str(&line(rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            line("Hello \u{0}\u{1b}[2J\u{1b}]0;owned\u{7}"),
            "Hello \\0\\x1b[2J\\x1b]0;owned\\x07"
        );
        assert_eq!(line("a\rb\tc\u{9b}"), "a\\rb\\tc\\x9b");
        assert_eq!(line("plain text, é ✓"), "plain text, é ✓");
        assert_eq!(lines("a\nb\u{7}"), "a\nb\\x07");
    }

    #[test]
    fn html_escapes_markup_and_control_characters() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(html("a\u{1b}[2J\u{200b}\nb"), "a\\x1b[2J\\u{200b}\nb");
    }

    #[test]
    fn invisible_characters_are_shown() {
        assert_eq!(line("Hello\u{200b}"), "Hello\\u{200b}");
        assert_eq!(line("\u{feff}x\u{202e}"), "\\u{feff}x\\u{202e}");
    }

    #[test]
    fn invalid_utf8_is_marked() {
        assert_eq!(
            bytes(b"Hello \xff\xfe\x00\x1b[2J\x1b]0;owned\x07"),
            "Hello \\xff\\xfe\\0\\x1b[2J\\x1b]0;owned\\x07"
        );
    }

    #[test]
    fn compiler_colors_are_kept_or_dropped_and_nothing_else_passes() {
        let rendered = "\x1b[1m\x1b[31merror\x1b[0m: bad `\x1b]0;x\x07`";
        assert_eq!(
            compiler(rendered, true),
            "\x1b[1m\x1b[31merror\x1b[0m: bad `\\x1b]0;x\\x07`"
        );
        assert_eq!(compiler(rendered, false), "error: bad `\\x1b]0;x\\x07`");
    }
}
