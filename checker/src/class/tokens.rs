//! A forgiving Rust lexer for similarity ([`super::similarity`]): the token stream of a
//! lesson file with comments and whitespace gone, and the names a student chooses made alike.
//!
//! Each token is kept with its line. Literals become their kind (`N` a number, `S` a string
//! or byte string, `C` a character, `'` a lifetime); an identifier becomes `I` unless it is
//! a keyword or a name the student does not choose: after `.` or `::` (a method, a path's
//! item), before `::` or `!` (a crate, a type's path, a macro). Renaming every variable,
//! function and type of one's own, reformatting and adding comments change nothing.
//! Unlike a parser it never fails: a file that does not compile (unbalanced brackets, an
//! unclosed string) still has its tokens.

/// A token: its normalised text and its line (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Normalised text (`I`, `N`, `S`, a keyword, a kept name, punctuation).
    pub text: String,
    /// Line of the file it starts on, from 1.
    pub line: usize,
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "yield",
];

/// The normalised tokens of `source`.
pub fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |k: usize| chars.get(k).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if let Some(end) = raw_string_end(&chars, i) {
            line += chars[i..end].iter().filter(|c| **c == '\n').count();
            out.push(token("S", start_line));
            i = end;
        } else if c == '"' || (c == 'b' && at(i + 1) == '"') {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                line += usize::from(chars[i] == '\n');
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(token("S", start_line));
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            let from = if c == 'b' { i + 1 } else { i };
            // A character: 'x', '\n', '\u{..}'; otherwise a lifetime or a label.
            let close = if at(from + 1) == '\\' {
                (from + 2..chars.len().min(from + 12)).find(|&k| chars[k] == '\'')
            } else {
                (at(from + 2) == '\'').then_some(from + 2)
            };
            match close {
                Some(end) => {
                    out.push(token("C", start_line));
                    i = end + 1;
                }
                None => {
                    i = from + 1;
                    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                        i += 1;
                    }
                    out.push(token("'", start_line));
                }
            }
        } else if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || chars[i] == '_'
                    || (chars[i] == '.' && at(i + 1).is_ascii_digit()))
            {
                i += 1;
            }
            out.push(token("N", start_line));
        } else if c.is_alphabetic() || c == '_' {
            let from = if c == 'r' && at(i + 1) == '#' {
                i + 2
            } else {
                i
            };
            i = from;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[from..i].iter().collect();
            let mut next = i;
            while next < chars.len() && chars[next].is_whitespace() {
                next += 1;
            }
            let after_path = out.last().is_some_and(|t| t.text == "." || t.text == "::");
            let before_path = (at(next) == ':' && at(next + 1) == ':')
                || (at(next) == '!' && at(next + 1) != '=');
            let kept = KEYWORDS.contains(&word.as_str()) || after_path || before_path;
            out.push(token(if kept { &word } else { "I" }, start_line));
        } else if c == '.' && at(i + 1) == '.' {
            let text = if at(i + 2) == '=' { "..=" } else { ".." };
            out.push(token(text, start_line));
            i += text.len();
        } else if c == ':' && at(i + 1) == ':' {
            out.push(token("::", start_line));
            i += 2;
        } else {
            out.push(Token {
                text: c.to_string(),
                line: start_line,
            });
            i += 1;
        }
    }
    out
}

fn token(text: &str, line: usize) -> Token {
    Token {
        text: text.to_string(),
        line,
    }
}

/// Where a raw string starting at `i` (`r"..."`, `r#"..."#`, `br"..."`) ends, if one does.
fn raw_string_end(chars: &[char], i: usize) -> Option<usize> {
    let mut k = i;
    if chars.get(k) == Some(&'b') {
        k += 1;
    }
    if chars.get(k) != Some(&'r') {
        return None;
    }
    k += 1;
    let hashes = chars[k..].iter().take_while(|c| **c == '#').count();
    k += hashes;
    if chars.get(k) != Some(&'"') {
        return None;
    }
    k += 1;
    while k < chars.len() {
        if chars[k] == '"'
            && chars[k + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == '#')
                .count()
                == hashes
        {
            return Some(k + 1 + hashes);
        }
        k += 1;
    }
    Some(chars.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<String> {
        tokens(source).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn renaming_reformatting_and_comments_change_nothing() {
        let a = "pub async fn wait_n(n: usize) -> Vec<f64> {\n    let mut delays = Vec::new(); // mine\n    for _ in 0..n { delays.push(wait_random(1.5).await); }\n    delays\n}\n";
        let b = "/* copied? no */ pub async fn wait_n(count: usize)\n-> Vec<f64>\n{\n  let mut out = Vec::new();\n  for _ in 0..count {\n    out.push(wait_random(2.0).await);\n  }\n  out\n}";
        assert_eq!(texts(a), texts(b));
        assert!(texts(a).contains(&"push".to_string()), "{:?}", texts(a));
        assert!(texts(a).contains(&"Vec".to_string()), "Vec::new keeps Vec");
    }

    #[test]
    fn literals_lifetimes_macros_and_broken_code() {
        assert_eq!(
            texts("println!(\"{x}\", 'a', b'\\n', r#\"raw\"#, 1_000u64, 2.5e3, x.0)"),
            [
                "println", "!", "(", "S", ",", "C", ",", "C", ",", "S", ",", "N", ",", "N", ",",
                "I", ".", "N", ")"
            ]
        );
        assert_eq!(texts("0..n; 1..=m"), ["N", "..", "I", ";", "N", "..=", "I"]);
        assert_eq!(
            texts("fn f<'a>(x: &'a str)"),
            ["fn", "I", "<", "'", ">", "(", "I", ":", "&", "'", "I", ")"]
        );
        // Unbalanced and unclosed: tokens all the same, lines counted.
        let broken = tokens("pub fn unfinished( {\n\"never closed\nx");
        assert_eq!(broken.last().map(|t| t.line), Some(2));
        assert_eq!(tokens("a\n/* x\n y */ b")[1].line, 3);
    }
}
