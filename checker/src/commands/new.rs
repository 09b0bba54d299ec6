//! `checker new LESSON`: scaffolds a lesson so that the course builds and `checker verify`
//! passes at once, except for the reference body, which is the instructor's to write.
//!
//! It writes the stub with an instructions template (`exercises/src/NN_lesson.rs`), the
//! reference (`solutions/src/NN_lesson.rs`, a `todo!()` too), the spec (`specs/NN_lesson.toml`),
//! the `mod` lines of both `lib.rs` files, and the binding in `runner/src/course.rs`: an arm of
//! `bind_lesson!` and a line of `course_bindings!`. It refuses to overwrite any file, and
//! writes nothing unless it can write everything.
//!
//! The scaffold's function is `pub async fn LESSON(n: u64) -> u64`: one integer argument and
//! one integer back, the simplest values to pass through the runner's JSON. The templates
//! say where to change it.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

use crate::session::{self, EXIT_PASS};

/// Marks where `checker new` adds a lesson's arm in `bind_lesson!`.
pub const ARM_MARKER: &str = "    // `checker new` adds each new lesson's arm above this line.\n";
/// Marks where `checker new` adds a lesson's line in `course_bindings!`.
pub const LINE_MARKER: &str =
    "        // `checker new` adds each new lesson's line above this line.\n";
/// rustfmt's line width, which the generated binding line must respect.
const MAX_WIDTH: usize = 100;

/// Options of `checker new`.
#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// The lesson's id: a snake_case Rust name, used for its module, its files and its
    /// function (e.g. `wait_bounded`).
    pub lesson: String,

    /// A one-line title for reports (default: a TODO to replace).
    #[arg(long)]
    pub title: Option<String>,
}

/// One file to write: its path, relative to the root, and its new contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// The whole new contents.
    pub contents: String,
    /// Whether the file is new (it must not exist) rather than edited.
    pub new: bool,
}

/// Runs `checker new`.
pub fn run(args: &NewArgs) -> anyhow::Result<u8> {
    let root = session::root()?;
    let (number, writes) = plan(&root, &args.lesson, args.title.as_deref())?;
    apply(&root, &writes)?;
    let name = &args.lesson;
    let rows = [
        (
            format!("exercises/src/{number:02}_{name}.rs"),
            "the stub, with an instructions template to fill in",
        ),
        (
            format!("solutions/src/{number:02}_{name}.rs"),
            "the reference: its body is yours to write",
        ),
        (
            format!("specs/{number:02}_{name}.toml"),
            "the spec: one case to start from",
        ),
    ];
    let width = rows.iter().map(|(path, _)| path.len()).max().unwrap_or(0);
    let mut out = format!("Created lesson {number}, {name}:\n");
    for (path, what) in &rows {
        out.push_str(&format!("  {path:width$}   {what}\n"));
    }
    out.push_str(&format!(
        "  exercises/src/lib.rs, solutions/src/lib.rs: the `mod` lines\n\
         \x20 runner/src/course.rs: the binding (an arm of bind_lesson!, a line of course_bindings!)\n\n\
         The function is `pub async fn {name}(n: u64) -> u64`; the templates say how to change it.\n\
         Next: write the reference and the spec's cases, then run `cargo run -p checker -- verify`.\n\
         docs/authoring.md walks through a whole lesson.\n"
    ));
    session::write_stdout(&out)?;
    Ok(EXIT_PASS)
}

/// Checks a lesson id: a snake_case identifier that is not a Rust keyword.
pub fn check_name(name: &str) -> anyhow::Result<()> {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
        "true", "try", "type", "unsafe", "use", "where", "while", "abstract", "become", "box",
        "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
    ];
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !starts_well || !rest_ok || name.ends_with('_') || name.contains("__") {
        bail!(
            "`{name}` is not a lesson id: use a snake_case name such as `wait_bounded` (lowercase letters, digits and single underscores, starting with a letter)"
        );
    }
    if KEYWORDS.contains(&name) {
        bail!("`{name}` is a Rust keyword: it cannot name a module or a function");
    }
    Ok(())
}

/// The next lesson number: one more than the largest `NN_` prefix in `specs/`.
fn next_number(root: &Path) -> anyhow::Result<u32> {
    let dir = root.join("specs");
    let entries =
        std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let largest = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.split('_').next()?.parse::<u32>().ok()
        })
        .max()
        .unwrap_or(0);
    Ok(largest + 1)
}

/// Everything `checker new` would write, computed before writing anything.
pub fn plan(root: &Path, name: &str, title: Option<&str>) -> anyhow::Result<(u32, Vec<Write>)> {
    check_name(name)?;
    let number = next_number(root)?;
    let file = format!("{number:02}_{name}.rs");
    let title = title.unwrap_or("TODO: a one-line title");
    if title.contains(['"', '\\', '\n']) {
        bail!("the title must be one line without quotes or backslashes");
    }
    for dir in ["specs", "exercises/src", "solutions/src"] {
        let existing = std::fs::read_dir(root.join(dir))
            .with_context(|| format!("cannot read {dir}/ of the workspace"))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|f| {
                f.split_once('_')
                    .is_some_and(|(_, rest)| rest.split('.').next() == Some(name))
            });
        if let Some(existing) = existing {
            bail!("lesson `{name}` already exists: {dir}/{existing}");
        }
    }
    let mut writes = vec![
        Write {
            path: PathBuf::from("exercises/src").join(&file),
            contents: stub(number, name, title),
            new: true,
        },
        Write {
            path: PathBuf::from("solutions/src").join(&file),
            contents: reference(number, name, title),
            new: true,
        },
        Write {
            path: PathBuf::from(format!("specs/{number:02}_{name}.toml")),
            contents: spec(number, name, title),
            new: true,
        },
    ];
    for lib in ["exercises/src/lib.rs", "solutions/src/lib.rs"] {
        let text = read(root, lib)?;
        writes.push(Write {
            path: PathBuf::from(lib),
            contents: with_module(&text, name, &file)
                .with_context(|| format!("cannot add the module to {lib}"))?,
            new: false,
        });
    }
    let course = "runner/src/course.rs";
    let text = read(root, course)?;
    writes.push(Write {
        path: PathBuf::from(course),
        contents: with_binding(&text, name, &file)
            .with_context(|| format!("cannot add the binding to {course}"))?,
        new: false,
    });
    for write in writes.iter().filter(|w| w.new) {
        if root.join(&write.path).exists() {
            bail!(
                "{} exists already; `checker new` never overwrites a file",
                write.path.display()
            );
        }
    }
    Ok((number, writes))
}

fn read(root: &Path, path: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(root.join(path)).with_context(|| format!("cannot read {path}"))
}

/// Writes the planned files; new ones are created, never overwritten.
pub fn apply(root: &Path, writes: &[Write]) -> anyhow::Result<()> {
    for write in writes {
        let path = root.join(&write.path);
        if write.new {
            use std::io::Write as _;
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .with_context(|| format!("cannot create {}", write.path.display()))?;
            file.write_all(write.contents.as_bytes())
                .with_context(|| format!("cannot write {}", write.path.display()))?;
        } else {
            std::fs::write(&path, &write.contents)
                .with_context(|| format!("cannot write {}", write.path.display()))?;
        }
    }
    Ok(())
}

/// `lib.rs` with the lesson's module added where rustfmt keeps it: in name order.
pub fn with_module(lib: &str, name: &str, file: &str) -> anyhow::Result<String> {
    let declaration = format!("pub mod {name};");
    if lib.lines().any(|l| l.trim() == declaration) {
        bail!("it already declares `{declaration}`");
    }
    let lines: Vec<&str> = lib.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut inserted = false;
    for (index, line) in lines.iter().enumerate() {
        let next_module = line
            .strip_prefix("#[path = ")
            .and_then(|_| lines.get(index + 1))
            .and_then(|next| next.strip_prefix("pub mod "))
            .and_then(|rest| rest.strip_suffix(';'));
        if !inserted && next_module.is_some_and(|module| module > name) {
            out.push(format!("#[path = \"{file}\"]"));
            out.push(declaration.clone());
            inserted = true;
        }
        out.push(line.to_string());
    }
    if !inserted {
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.push(format!("#[path = \"{file}\"]"));
        out.push(declaration);
    }
    Ok(out.join("\n") + "\n")
}

/// `course.rs` with the lesson's arm in `bind_lesson!` and its line in `course_bindings!`.
pub fn with_binding(course: &str, name: &str, file: &str) -> anyhow::Result<String> {
    if course.contains(&format!("($b:expr, {name}, ")) {
        bail!("`bind_lesson!` already has an arm for `{name}`");
    }
    for marker in [ARM_MARKER, LINE_MARKER] {
        if course.matches(marker).count() != 1 {
            bail!(
                "the marker comment `{}` must appear exactly once",
                marker.trim()
            );
        }
    }
    let arm = format!(
        "    ($b:expr, {name}, [$($m:ident)::+], $src:expr) => {{\n\
         \x20       $b.add(\"{name}\", \"{name}\", $crate::Shape::Future, $src, &[\"n\"], |a| {{\n\
         \x20           let n: u64 = $crate::arg(a, \"n\")?;\n\
         \x20           Ok($crate::Call::Future(Box::pin(async move {{\n\
         \x20               $crate::Report::report($($m)::+::{name}(n).await)\n\
         \x20           }})))\n\
         \x20       }});\n\
         \x20   }};\n"
    );
    let one_line = format!(
        "        $crate::bind_lesson!(table, {name}, [$krate::{name}], &format!(\"{{dir}}/{file}\"));"
    );
    let line = if one_line.chars().count() <= MAX_WIDTH {
        one_line + "\n"
    } else {
        format!(
            "        $crate::bind_lesson!(\n\
             \x20           table,\n\
             \x20           {name},\n\
             \x20           [$krate::{name}],\n\
             \x20           &format!(\"{{dir}}/{file}\")\n\
             \x20       );\n"
        )
    };
    Ok(course
        .replace(ARM_MARKER, &(arm + ARM_MARKER))
        .replace(LINE_MARKER, &(line + LINE_MARKER)))
}

/// The exercise stub, with the instructions template.
pub fn stub(number: u32, name: &str, title: &str) -> String {
    format!(
        r#"//! # Lesson {number}: {title}
//!
//! TODO (instructor): the idea of the lesson in a few short paragraphs: what
//! it teaches, and which tokio tools play the part of asyncio's.
//!
//! ## What to write
//!
//! `{name}(n)`: TODO (instructor): what the function does, what it returns,
//! and what it prints.
//!
//! (Scaffold: the function is `async fn {name}(n: u64) -> u64`, one integer
//! argument and one integer back. To change the signature, change it here, in
//! `solutions/src/{number:02}_{name}.rs`, in the lesson's arm of `bind_lesson!` in
//! `runner/src/course.rs`, and in the cases' `args` in
//! `specs/{number:02}_{name}.toml`. See `docs/authoring.md`.)
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

/// TODO (instructor): what `{name}` does.
#[allow(unused_variables)]
pub async fn {name}(n: u64) -> u64 {{
    todo!()
}}
"#
    )
}

/// The reference solution's file: a stub until the instructor writes it.
pub fn reference(number: u32, name: &str, title: &str) -> String {
    format!(
        r#"//! Lesson {number}, {title}: the reference solution.

/// TODO (instructor): what `{name}` does.
#[allow(unused_variables)]
pub async fn {name}(n: u64) -> u64 {{
    todo!("the reference solution")
}}
"#
    )
}

/// The spec: one case to start from, and a check against blocking calls.
pub fn spec(number: u32, name: &str, title: &str) -> String {
    format!(
        r#"# Lesson {number}: {title}. Every key is documented in docs/specs.md.
lesson = "{name}"
title = "{title}"
file = "{number:02}_{name}.rs"
function = "{name}"
hint = "TODO (instructor): the idea to reach for, not the answer."

[[case]]
name = "TODO: what this case shows"
args = {{ n = 1 }}
[case.expect]
# What each call must do, for example:
# returns = 1
# elapsed = "n * 1s"

[[source]]
function = "{name}"
forbid = ["std::thread::sleep", "block_on"]
says = "a blocking call stops every other task: await instead"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_snake_case_and_not_keywords() {
        assert!(check_name("wait_bounded").is_ok());
        assert!(check_name("wait2").is_ok());
        for bad in [
            "Wait", "2wait", "wait-n", "wait__n", "wait_", "", "async", "é",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn modules_go_in_name_order() {
        let lib =
            "//! doc\n\n#[path = \"02_b.rs\"]\npub mod b;\n#[path = \"01_d.rs\"]\npub mod d;\n";
        let out = with_module(lib, "c", "03_c.rs").unwrap();
        assert_eq!(
            out,
            "//! doc\n\n#[path = \"02_b.rs\"]\npub mod b;\n#[path = \"03_c.rs\"]\npub mod c;\n#[path = \"01_d.rs\"]\npub mod d;\n"
        );
        let last = with_module(lib, "z", "03_z.rs").unwrap();
        assert!(last.ends_with("pub mod d;\n#[path = \"03_z.rs\"]\npub mod z;\n"));
        assert!(with_module(&out, "c", "03_c.rs").is_err());
    }

    #[test]
    fn the_binding_goes_above_the_markers() {
        let course =
            format!("macro a {{\n{ARM_MARKER}}}\nmacro b {{\n{LINE_MARKER}        table\n}}\n");
        let out = with_binding(&course, "wait_bounded", "13_wait_bounded.rs").unwrap();
        assert!(out.contains("($b:expr, wait_bounded, [$($m:ident)::+], $src:expr) => {\n"));
        assert!(out.contains(
            "        $crate::bind_lesson!(\n            table,\n            wait_bounded,\n"
        ));
        assert!(out.find("wait_bounded(n)").unwrap() < out.find(ARM_MARKER).unwrap());
        assert!(with_binding(&out, "wait_bounded", "13_wait_bounded.rs").is_err());
        assert!(with_binding("no markers", "x", "13_x.rs").is_err());
        let short = with_binding(&course, "tiny", "13_tiny.rs").unwrap();
        assert!(short.contains(
            "        $crate::bind_lesson!(table, tiny, [$krate::tiny], &format!(\"{dir}/13_tiny.rs\"));\n"
        ));
    }
}
