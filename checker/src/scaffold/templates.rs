//! The contents of a new lesson's files: the exercise stub with its instructions template,
//! the reference (a `todo!()` too), the spec with one case to start from, and the `use` lines
//! the lesson files need from the registry's prelude.

use asynclings_runner::registry::signature::{Kind, Param, Signature};

/// A body that compiles for `signature` and panics with "not yet implemented" when run.
fn todo_body(signature: &Signature, message: &str) -> String {
    let todo = if message.is_empty() {
        "todo!()".to_string()
    } else {
        format!("todo!(\"{message}\")")
    };
    match signature.kind() {
        Ok(Kind::Stream) => format!("futures::stream::once(async {{ {todo} }})"),
        _ => todo,
    }
}

/// A placeholder value of a parameter's type for the spec's first case (`n = 1`).
fn placeholder(param: &Param) -> String {
    let ty = param.ty.trim_start_matches('&').trim();
    match ty {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            "1".into()
        }
        "f32" | "f64" => "1.0".into(),
        "bool" => "true".into(),
        "str" | "String" => "\"text\"".into(),
        _ if ty.starts_with('[') || ty.starts_with("Vec<") => "[]".into(),
        _ => "0 # TODO: a value of this type, as JSON would write it".into(),
    }
}

/// The `use` lines a lesson file needs for the type names its signature takes from the
/// registry's prelude (`Result<f64, Elapsed>` needs `use tokio::time::error::Elapsed;`):
/// without them the new files would not compile.
pub fn imports(prelude: &[String], signatures: &[Signature]) -> String {
    let words: Vec<&str> = signatures
        .iter()
        .flat_map(|s| s.text.split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .collect();
    let used: Vec<&String> = prelude
        .iter()
        .filter(|path| {
            let last = path.rsplit("::").next().unwrap_or(path);
            // A path spelled out in the signature needs no import.
            words.contains(&last) && !signatures.iter().any(|s| s.text.contains(path.as_str()))
        })
        .collect();
    let mut lines: String = used.iter().map(|path| format!("use {path};\n")).collect();
    if !lines.is_empty() {
        lines.push('\n');
    }
    lines
}

/// The exercise stub, with the instructions template.
pub fn stub(
    number: u32,
    name: &str,
    title: &str,
    signatures: &[Signature],
    imports: &str,
) -> String {
    let names: Vec<String> = signatures.iter().map(|s| format!("`{}`", s.name)).collect();
    let names = names.join(", ");
    let functions = functions(signatures, "");
    format!(
        r#"//! # Lesson {number}: {title}
//!
//! TODO (instructor): the idea of the lesson in a few short paragraphs: what
//! it teaches, and which tokio tools play the part of asyncio's.
//!
//! ## What to write
//!
//! {names}: TODO (instructor): what each function does, what it returns,
//! and what it prints.
//!
//! (Scaffold: to change a signature later, change it here, in
//! `solutions/src/{number:02}_{name}.rs`, in the lesson's entry of `course.toml`,
//! and in the cases' `args` in `specs/{number:02}_{name}.toml`. See
//! `docs/authoring.md`.)
//!
//! ## From asyncio to tokio
//!
//! | asyncio | tokio |
//! |---------|-------|
//! | TODO    | TODO  |
//!
//! ## What the checker looks at
//!
//! - TODO (instructor): one line per expectation of the spec.
//! - Each case runs in its own process.

{imports}{functions}"#
    )
}

/// Each function with a doc comment to write and a `todo!()` body (with `message`).
fn functions(signatures: &[Signature], message: &str) -> String {
    signatures
        .iter()
        .map(|signature| {
            format!(
                "/// TODO (instructor): what `{}` does.\n#[allow(unused_variables)]\n{} {{\n    {}\n}}\n",
                signature.name,
                signature.text,
                todo_body(signature, message)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reference solution's file: a stub until the instructor writes it.
pub fn reference(number: u32, title: &str, signatures: &[Signature], imports: &str) -> String {
    let functions = functions(signatures, "the reference solution");
    format!(
        r#"//! Lesson {number}, {title}: the reference solution.

{imports}{functions}"#
    )
}

/// The spec: one case to start from, and a check against blocking calls.
pub fn spec(number: u32, name: &str, title: &str, signature: &Signature) -> String {
    let function = &signature.name;
    let args: Vec<String> = signature
        .params
        .iter()
        .filter(|p| !p.is_made_by_runner())
        .map(|p| format!("{} = {}", p.name, placeholder(p)))
        .collect();
    // A server's connections come from the case's peers, not from `args` (docs/network.md).
    let peers = if signature.params.iter().any(Param::is_network) {
        "[[case.peer]]\nname = \"ann\"\nsend = [{ at = \"0s\", data = \"hello\\n\" }]\n"
    } else {
        ""
    };
    // A server told to stop: the case says when (docs/network.md).
    let shutdown = if signature.params.iter().any(Param::is_shutdown) {
        "shutdown = \"1s\"\n"
    } else {
        ""
    };
    let args = if args.iter().any(|a| a.contains('#')) {
        // A placeholder with a comment needs a table of its own lines.
        format!("\n[case.args]\n{}", args.join("\n"))
    } else {
        format!("args = {{ {} }}", args.join(", "))
    };
    format!(
        r#"# Lesson {number}: {title}. Every key is documented in docs/specs.md.
lesson = "{name}"
title = "{title}"
file = "{number:02}_{name}.rs"
function = "{function}"
hint = "TODO (instructor): the idea to reach for, not the answer."

[[case]]
name = "TODO: what this case shows"
{args}
{shutdown}{peers}[case.expect]
# What each call must do, for example:
# returns = 1
# elapsed = "n * 1s"

[[source]]
function = "{function}"
forbid = ["std::thread::sleep", "block_on"]
says = "a blocking call stops every other task: await instead"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_s_spec_starts_with_a_peer_and_no_connections_in_args() {
        let signature =
            Signature::parse("pub async fn serve(incoming: Receiver<DuplexStream>, delay: f64)")
                .unwrap();
        let text = spec(20, "serve", "A server", &signature);
        assert!(text.contains("args = { delay = 1.0 }"), "{text}");
        assert!(text.contains("[[case.peer]]\nname = \"ann\""), "{text}");
        assert!(!text.contains("incoming ="), "{text}");
        let raw: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(
            raw["case"][0]["peer"][0]["send"][0]["data"].as_str(),
            Some("hello\n")
        );
    }

    #[test]
    fn a_server_told_to_stop_gets_a_shutdown_time_and_no_token_in_args() {
        let signature = Signature::parse(
            "pub async fn serve(incoming: Receiver<DuplexStream>, stop: CancellationToken, delay: f64)",
        )
        .unwrap();
        let text = spec(26, "serve", "A server", &signature);
        assert!(text.contains("args = { delay = 1.0 }"), "{text}");
        let raw: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(raw["case"][0]["shutdown"].as_str(), Some("1s"), "{text}");
        assert!(raw["case"][0]["peer"][0]["name"].is_str(), "{text}");
    }
}
