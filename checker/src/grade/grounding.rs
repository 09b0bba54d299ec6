//! No diagnosis may blame a construct the code does not contain.
//!
//! At grading time every `[[diagnose]]` rule is grounded by its `cause` (see
//! [`rules::diagnose`](super::rules::diagnose)): it fires only when the source uses each construct
//! listed. This module checks the other half, over every rule of a course at once (`checker
//! verify`): a rule whose message names a construct in backticks must either list it in its
//! `cause` (it blames it, so the source must show it) or name something a reference solution
//! of the course so far uses (it is advice: the way to do it right). A name that is neither is a claim about
//! the student's code that nothing checks.

use std::collections::BTreeSet;

use crate::spec::{Diagnose, Lesson};

/// The API names a message mentions in code spans (between backticks): each identifier
/// written as a call (`abort()`), a macro (`select!`), a path (`mpsc::channel`), after a `.`
/// (`handle.abort`), a type (`JoinHandle`, capitalised), a lone name with an underscore
/// (`yield_now`), and `let _`. A span holding a placeholder (`{lines[1]}`: printed output) or
/// words with no code punctuation (`Final result: data`) is not code and is skipped, and so
/// are quoted texts and local variables (a lone plain word, or one followed by `.`).
pub fn named_constructs(says: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (index, span) in says.split('`').enumerate() {
        if index % 2 == 0 || span.contains('{') {
            continue;
        }
        // Quoted text is data, not code: `contestant("job", job)` names `contestant` only.
        let span = outside(span, '"');
        // `let _ = ...` and `let _: T = ...` bind nothing; `let _permit = ...` binds a name.
        if let Some(rest) = span.trim_start().strip_prefix("let _")
            && rest.starts_with([' ', '=', ':'])
        {
            names.insert("let _".to_string());
            continue;
        }
        let looks_like_code = span.contains('(')
            || span.contains("::")
            || span.contains('!')
            || span.contains('.')
            || !span.trim().contains(' ');
        if !looks_like_code {
            // Prose or printed output (`Final result: data`), not code.
            continue;
        }
        let lone = !span
            .trim()
            .contains(|c: char| !(c.is_alphanumeric() || c == '_'));
        let chars: Vec<char> = span.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if !(chars[i].is_alphabetic() || chars[i] == '_') {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let before = chars[..start]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .copied();
            // `handle.abort`: a method; `1..n`: a range, not one.
            let method = before == Some('.') && start >= 2 && chars[start - 2] != '.';
            let after = chars.get(i).copied();
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            let keyword = matches!(
                word.as_str(),
                "let"
                    | "mut"
                    | "await"
                    | "async"
                    | "move"
                    | "fn"
                    | "for"
                    | "in"
                    | "if"
                    | "loop"
                    | "while"
                    | "match"
                    | "true"
                    | "false"
                    | "self"
                    | "Ok"
                    | "Err"
                    | "Some"
                    | "None"
            );
            let code = capitalised
                || matches!(after, Some('(' | '!'))
                || method
                || before == Some(':')
                || (after == Some(':') && chars.get(i + 1) == Some(&':'))
                || (lone && word.contains('_'));
            if code && !keyword {
                names.insert(word);
            }
        }
    }
    names
}

/// The parts of `text` outside pairs of `delimiter` (quotes, backticks), joined by spaces.
fn outside(text: &str, delimiter: char) -> String {
    text.split(delimiter)
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every API name a message mentions anywhere: [`named_constructs`] of its code spans, and in
/// its prose each segment of a path (`tokio::task::yield_now`) and each name written as a call
/// (`abort()`). What a headline shown to a student may name only if the code or the reference
/// holds it.
pub fn named_anywhere(says: &str) -> BTreeSet<String> {
    let mut names = named_constructs(says);
    let prose = outside(says, '`');
    for word in prose.split(|c: char| c.is_whitespace() || ",;()[]'\"".contains(c)) {
        let word = word.trim_end_matches(['.', ':', '!']);
        if word.contains("::") {
            names.extend(
                word.split("::")
                    .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    .map(str::to_string),
            );
        }
    }
    let chars: Vec<char> = prose.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '(' && chars.get(i + 1) == Some(&')') {
            let start = chars[..i]
                .iter()
                .rposition(|c| !(c.is_alphanumeric() || *c == '_'))
                .map_or(0, |p| p + 1);
            let word: String = chars[start..i].iter().collect();
            if !word.is_empty() {
                names.insert(word);
            }
        }
    }
    names
}

/// The problems of `lesson`'s diagnoses against `reference` (the identifiers of the reference
/// solution's file, as [`identifiers`] gives them): one line per name that a rule mentions,
/// neither in its `cause` nor in the reference.
pub fn ungrounded(lesson: &Lesson, reference: &[String]) -> Vec<String> {
    // Each call case holds its own diagnoses and then the spec's: each rule is checked once.
    let mut seen = BTreeSet::new();
    let rules = lesson
        .cases
        .iter()
        .filter_map(|case| match &case.kind {
            crate::spec::CaseKind::Call(call) => Some(call.diagnose.iter()),
            crate::spec::CaseKind::Source(_) => None,
        })
        .flatten()
        .filter(|rule| seen.insert((rule.when.text().to_string(), rule.says.clone())));
    let mut problems = Vec::new();
    for rule in rules {
        for name in unaccounted(rule, reference) {
            problems.push(format!(
                "lesson {}: a diagnosis names `{name}`, which the reference does not use and its `cause` does not list (when = \"{}\")",
                lesson.id,
                rule.when.text()
            ));
        }
    }
    problems
}

/// [`ungrounded`] for every lesson of `lessons`, against what the course has taught by then:
/// the identifiers of the reference files in `reference_src`, and the words of the lesson
/// files (instructions) in `instructions_src`, of that lesson and every lesson numbered before
/// it (advice may name what the course taught).
pub fn course_problems(
    lessons: &[&Lesson],
    reference_src: &std::path::Path,
    instructions_src: &std::path::Path,
) -> Vec<String> {
    let mut ordered: Vec<&Lesson> = lessons.to_vec();
    ordered.sort_by_key(|lesson| lesson.number);
    let mut taught = BTreeSet::new();
    let mut problems = Vec::new();
    for lesson in ordered {
        let text = std::fs::read_to_string(reference_src.join(&lesson.file)).unwrap_or_default();
        taught.extend(identifiers(&text));
        let instructions =
            std::fs::read_to_string(instructions_src.join(&lesson.file)).unwrap_or_default();
        taught.extend(
            instructions
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
        let known: Vec<String> = taught.iter().cloned().collect();
        problems.extend(ungrounded(lesson, &known));
    }
    problems
}

/// Every identifier of a Rust file's code, and every word of its string literals (what it
/// prints), sorted; comments, doc comments included, are left out.
pub fn identifiers(text: &str) -> Vec<String> {
    fn walk(tokens: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(ident) => {
                    out.insert(ident.to_string());
                }
                // A doc comment is an attribute `#[doc = "..."]`: prose, not code.
                proc_macro2::TokenTree::Group(group)
                    if group.delimiter() == proc_macro2::Delimiter::Bracket
                        && matches!(
                            group.stream().into_iter().next(),
                            Some(proc_macro2::TokenTree::Ident(ref i)) if i == "doc"
                        ) => {}
                proc_macro2::TokenTree::Group(group) => walk(group.stream(), out),
                // Printed text (`println!("World")`) is what a message may quote too.
                proc_macro2::TokenTree::Literal(literal) => {
                    let text = literal.to_string();
                    if text.starts_with('"') {
                        out.extend(
                            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                                .filter(|w| !w.is_empty())
                                .map(str::to_string),
                        );
                    }
                }
                proc_macro2::TokenTree::Punct(_) => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    if let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() {
        walk(tokens, &mut out);
    }
    out.into_iter().collect()
}

fn unaccounted(rule: &Diagnose, reference: &[String]) -> Vec<String> {
    let listed = |name: &str| {
        rule.cause
            .iter()
            .any(|c| c == name || c.rsplit("::").next() == Some(name))
    };
    named_constructs(&rule.says)
        .into_iter()
        .filter(|name| !listed(name) && !reference.iter().any(|u| u == name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(says: &str) -> Vec<String> {
        named_constructs(says).into_iter().collect()
    }

    #[test]
    fn code_spans_give_their_api_names_and_not_their_variables_or_output() {
        assert_eq!(
            names("call `handle.abort()`, then `handle.await`"),
            ["abort"]
        );
        assert_eq!(
            names("use `mpsc::channel(capacity)` and `tokio::select!`"),
            ["channel", "mpsc", "select", "tokio"]
        );
        assert_eq!(names("`let _ = semaphore.acquire()`"), ["let _"]);
        assert_eq!(
            names("`let _permit = semaphore.acquire_owned()`"),
            ["acquire_owned"]
        );
        assert_eq!(names("a `JoinHandle` is dropped"), ["JoinHandle"]);
        // Printed output, quoted text and plain words in prose are not code.
        assert!(names("`{lines[1]}` was printed").is_empty());
        assert_eq!(
            names("`contestant(\"job\", job)` inside it"),
            ["contestant"]
        );
        assert!(names("returned `Ok(())` and `stopping`").is_empty());
        assert!(names("abort() outside backticks").is_empty());
    }

    #[test]
    fn the_reference_shows_its_code_and_printed_words_not_its_comments() {
        let text = "//! uses `select!` in prose\n/// Spawns `abort`\nfn f() { // yield_now\n    println!(\"World {}\", x.tick()); }";
        let found = identifiers(text);
        assert_eq!(found, ["World", "f", "fn", "println", "tick", "x"]);
    }

    #[test]
    fn the_course_blames_nothing_its_sources_cannot_show() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let validation = crate::validation::validate(&[root.join("specs")], None).unwrap();
        let lessons: Vec<&Lesson> = validation
            .files
            .iter()
            .filter_map(|f| f.lesson.as_ref())
            .collect();
        assert!(lessons.len() >= 19);
        let problems = course_problems(
            &lessons,
            &root.join("solutions").join("src"),
            &root.join("exercises").join("src"),
        );
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_rule_naming_what_the_reference_does_not_use_needs_a_cause() {
        let rule = |says: &str, cause: &[&str]| Diagnose {
            when: crate::expr::Expr::parse("true").unwrap(),
            says: says.into(),
            cause: cause.iter().map(|c| c.to_string()).collect(),
        };
        let reference = ["channel".to_string(), "mpsc".to_string()];
        let blames = rule(
            "an `unbounded_channel` has no backpressure: use `mpsc::channel`",
            &[],
        );
        assert_eq!(unaccounted(&blames, &reference), ["unbounded_channel"]);
        let grounded = rule(
            "an `unbounded_channel` has no backpressure: use `mpsc::channel`",
            &["tokio::sync::mpsc::unbounded_channel"],
        );
        assert!(unaccounted(&grounded, &reference).is_empty());
    }

    #[test]
    fn prose_paths_and_calls_are_names_too() {
        let said = named_anywhere(
            "a yield_now loop: tokio::task::yield_now in a loop never lets time pass; call abort() or `handle.await`",
        );
        let said: Vec<&str> = said.iter().map(String::as_str).collect();
        assert_eq!(said, ["abort", "task", "tokio", "yield_now"]);
    }
}
