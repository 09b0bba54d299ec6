//! The message of a diagnosis (`says`): text with `{expression}` placeholders, and `{{`, `}}`
//! for braces. The loader checks each placeholder as an expression; grading fills them in.

/// A `{expression}` placeholder of a diagnosis message, with its byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// The expression between the braces.
    pub text: &'a str,
    /// Byte offset of the expression (after the `{`) in the message.
    pub start: usize,
}

/// The `{expression}` placeholders of a diagnosis message. `{{` and `}}` are a brace, not a
/// placeholder.
pub fn placeholders(says: &str) -> Vec<Placeholder<'_>> {
    says_parts(says)
        .into_iter()
        .filter_map(|part| match part {
            SaysPart::Placeholder(placeholder) => Some(placeholder),
            SaysPart::Text(_) => None,
        })
        .collect()
}

/// A piece of a diagnosis message: text as it is shown, or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaysPart<'a> {
    /// Text shown as it is (`{{` already made `{`).
    Text(String),
    /// A `{expression}` to replace by its value.
    Placeholder(Placeholder<'a>),
}

/// A diagnosis message cut into text and placeholders: `{expression}` is a placeholder,
/// `{{` and `}}` stand for `{` and `}`. A `{` that is never closed is text.
pub fn says_parts(says: &str) -> Vec<SaysPart<'_>> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < says.len() {
        let rest = &says[i..];
        if rest.starts_with("{{") || rest.starts_with("}}") {
            text.push_str(&rest[..1]);
            i += 2;
        } else if rest.starts_with('{')
            && let Some(close) = rest.find('}')
        {
            if !text.is_empty() {
                parts.push(SaysPart::Text(std::mem::take(&mut text)));
            }
            parts.push(SaysPart::Placeholder(Placeholder {
                text: &says[i + 1..i + close],
                start: i + 1,
            }));
            i += close + 1;
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            text.push(c);
            i += c.len_utf8().max(1);
        }
    }
    if !text.is_empty() {
        parts.push(SaysPart::Text(text));
    }
    parts
}
