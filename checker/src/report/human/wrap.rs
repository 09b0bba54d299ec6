//! Word wrapping for prose on a terminal of known width.

use crate::report::style::{MIN_WIDTH, visible_width};

/// Wraps `line` to `width` columns at spaces. Continuation lines keep the line's own
/// indentation plus `hang` more columns. Words longer than a line stay whole (paths must stay
/// clickable). Without a width, or on a very narrow terminal, the line is left whole.
pub fn wrap(line: &str, width: Option<usize>, hang: usize) -> Vec<String> {
    let Some(width) = width.filter(|&w| w >= MIN_WIDTH) else {
        return vec![line.to_string()];
    };
    if visible_width(line) <= width {
        return vec![line.to_string()];
    }
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    let continuation = " ".repeat((indent + hang).min(width / 2));
    let mut lines = Vec::new();
    let mut current = " ".repeat(indent);
    let mut current_width = indent;
    let mut empty = true;
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let word_width = visible_width(word);
        if !empty && current_width + 1 + word_width > width {
            lines.push(std::mem::replace(&mut current, continuation.clone()));
            current_width = continuation.len();
            empty = true;
        }
        if !empty {
            current.push(' ');
            current_width += 1;
        }
        current.push_str(word);
        current_width += word_width;
        empty = false;
    }
    lines.push(current);
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn short_lines_and_unknown_widths_are_left_alone() {
        assert_eq!(wrap("  a b c", Some(40), 2), ["  a b c"]);
        let long = "word ".repeat(40);
        assert_eq!(wrap(&long, None, 2), [long.as_str()]);
    }

    #[test]
    fn long_lines_wrap_at_spaces_with_a_hanging_indent() {
        let lines = wrap(
            "  Hint: print Hello, then sleep one second, then print World",
            Some(30),
            2,
        );
        assert_eq!(
            lines,
            [
                "  Hint: print Hello, then",
                "    sleep one second, then",
                "    print World"
            ]
        );
        assert!(lines.iter().all(|l| l.len() <= 30));
    }

    #[test]
    fn a_word_longer_than_the_line_stays_whole() {
        let path = "exercises/src/01_a_very_long_file_name_indeed.rs:12";
        let lines = wrap(&format!("  Edit: {path} now"), Some(24), 2);
        assert_eq!(
            lines,
            ["  Edit:", format!("    {path}").as_str(), "    now"]
        );
    }

    #[test]
    fn colors_take_no_width() {
        let red = "\x1b[31mred\x1b[0m";
        let line = format!("{red} {red} {red}");
        assert_eq!(wrap(&line, Some(20), 0), [line.as_str()]);
    }
}
