//! Lesson files that would run outside a call are refused before cargo runs.
//!
//! Code under test must run only inside the call the checker makes: code the loader or the
//! linker runs on its own (a function in `.init_array`, an exported symbol that replaces one
//! of the runner's, inline assembly at the top level) runs before the runner's `main`, where it
//! could read the case's request and forge its result. Every lesson crate is compiled with
//! `unsafe_code` forbidden (its manifest's `[lints.rust]`, checked by [`check_crate_root`]),
//! so rustc itself refuses `unsafe` blocks, `#[unsafe(link_section)]`, `#[unsafe(no_mangle)]`,
//! `#[unsafe(export_name)]` and `unsafe extern` blocks. This module refuses, before building,
//! with the file and line, what that lint does not cover (`global_asm!`, `#[used]`, an `extern`
//! block) and, to say it in plainer words than the lint, the rest of the same kind.
//!
//! The scan reads tokens, not the syntax tree, so that a construct passed through a macro
//! (`m!(global_asm)`, an attribute built by `macro_rules!`) is seen as well; comments and
//! string literals are not tokens and never count.
//!
//! `crate::cargo_build` reports a refusal as a compile error of its lesson (with the code
//! [`REFUSED_CODE`]), so the lesson is replaced by its stub and every other lesson is still
//! graded (`crate::isolate`).

use std::path::Path;
use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The code of a refusal's [`crate::cargo_build::CompileError`] (where rustc puts `E0277`).
pub const REFUSED_CODE: &str = "refused";

/// At most this many refusals are reported per file: the first ones say what is wrong.
const PER_FILE: usize = 5;

/// A construct of a lesson file that the checker does not build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The construct as written (`#[used]`, `global_asm!`, `unsafe`).
    pub construct: String,
    /// Why it may run outside a call (see [`crate::isolate::explain`] for the sentence).
    pub kind: Kind,
}

/// The kinds of refused constructs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `unsafe` in any form: blocks, functions, impls, attributes, extern blocks.
    Unsafe,
    /// Inline or global assembly.
    Assembly,
    /// An attribute that places code or data for the linker or the loader, or exports a symbol.
    LinkerAttribute,
    /// A block of foreign functions (`extern "C" { ... }`).
    ExternBlock,
}

/// Attributes that place code or data for the linker or the loader (or replace a symbol).
const LINKER_ATTRIBUTES: &[&str] = &[
    "used",
    "link_section",
    "no_mangle",
    "export_name",
    "link",
    "link_name",
    "link_ordinal",
    "linkage",
    "naked",
    "no_main",
    "start",
    "ctor",
    "dtor",
];

/// Names refused wherever they appear as tokens, even outside an attribute (a macro may
/// build the attribute or the invocation from them).
const REFUSED_ANYWHERE: &[(&str, Kind)] = &[
    ("unsafe", Kind::Unsafe),
    ("global_asm", Kind::Assembly),
    ("naked_asm", Kind::Assembly),
    ("llvm_asm", Kind::Assembly),
    ("link_section", Kind::LinkerAttribute),
    ("no_mangle", Kind::LinkerAttribute),
    ("export_name", Kind::LinkerAttribute),
];

/// The refused constructs of one file's text, in order (at most `PER_FILE`). A text that
/// does not tokenize (an unclosed delimiter) has none: rustc reports it.
pub fn scan(text: &str) -> Vec<Refusal> {
    let Ok(stream) = TokenStream::from_str(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(stream, &mut found);
    found.sort_by_key(|r| (r.line, r.column));
    found.dedup_by(|a, b| a.line == b.line && a.kind == b.kind);
    found.truncate(PER_FILE);
    found
}

fn walk(stream: TokenStream, found: &mut Vec<Refusal>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let name = text.strip_prefix("r#").unwrap_or(&text);
                let bang =
                    matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                let kind = REFUSED_ANYWHERE
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, kind)| *kind)
                    .or_else(|| (name == "asm" && bang).then_some(Kind::Assembly))
                    .or_else(|| {
                        (name == "extern" && is_extern_block(&tokens[i + 1..]))
                            .then_some(Kind::ExternBlock)
                    });
                if let Some(kind) = kind {
                    let construct = match kind {
                        Kind::Assembly => format!("{name}!"),
                        Kind::ExternBlock => "extern { ... }".to_string(),
                        _ => name.to_string(),
                    };
                    push(found, ident.span(), construct, kind);
                }
            }
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                if let Some(name) = attribute_name(&tokens[i + 1..])
                    && LINKER_ATTRIBUTES.contains(&name.as_str())
                    && !REFUSED_ANYWHERE.iter().any(|(n, _)| *n == name)
                {
                    push(
                        found,
                        punct.span(),
                        format!("#[{name}]"),
                        Kind::LinkerAttribute,
                    );
                }
            }
            TokenTree::Group(group) => walk(group.stream(), found),
            _ => {}
        }
    }
}

fn push(found: &mut Vec<Refusal>, span: proc_macro2::Span, construct: String, kind: Kind) {
    let start = span.start();
    found.push(Refusal {
        line: start.line,
        column: start.column + 1,
        construct,
        kind,
    });
}

/// The name of the attribute that follows a `#` (`#[used]`, `#![no_main]`).
fn attribute_name(rest: &[TokenTree]) -> Option<String> {
    let mut rest = rest.iter();
    let mut next = rest.next()?;
    if let TokenTree::Punct(p) = next
        && p.as_char() == '!'
        && p.spacing() == Spacing::Alone
    {
        next = rest.next()?;
    }
    let TokenTree::Group(group) = next else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    match group.stream().into_iter().next()? {
        TokenTree::Ident(ident) => {
            let text = ident.to_string();
            Some(text.strip_prefix("r#").unwrap_or(&text).to_string())
        }
        _ => None,
    }
}

/// Whether the tokens after `extern` open a block of foreign items: `extern { ... }` or
/// `extern "C" { ... }` (not `extern crate` nor `extern "C" fn`).
fn is_extern_block(rest: &[TokenTree]) -> bool {
    let mut rest = rest.iter();
    let mut next = rest.next();
    if let Some(TokenTree::Literal(_)) = next {
        next = rest.next();
    }
    matches!(next, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace)
}

impl Refusal {
    /// What is refused, in one sentence (`` `#[used]` (an attribute for the linker) is not
    /// allowed in a lesson file ``).
    pub fn message(&self) -> String {
        message(self)
    }

    /// The refusal rendered the way rustc renders an error: the message, `file:line:column`,
    /// and the line of `text` (the file's text) with a caret under the construct.
    pub fn rendered(&self, file: &str, text: &str) -> String {
        let source = text.lines().nth(self.line.wrapping_sub(1)).unwrap_or("");
        let pad = " ".repeat(self.line.to_string().len());
        format!(
            "error[{REFUSED_CODE}]: {message}\n{pad}--> {file}:{line}:{column}\n{pad} |\n{line} | {source}\n{pad} | {marker}\n",
            message = self.message(),
            line = self.line,
            column = self.column,
            marker = " ".repeat(self.column.saturating_sub(1)) + "^",
        )
    }
}

fn message(refusal: &Refusal) -> String {
    let construct = &refusal.construct;
    match refusal.kind {
        Kind::Unsafe => format!("`{construct}` is not allowed in a lesson file"),
        Kind::Assembly => format!("`{construct}` (assembly) is not allowed in a lesson file"),
        Kind::LinkerAttribute => {
            format!("`{construct}` (an attribute for the linker) is not allowed in a lesson file")
        }
        Kind::ExternBlock => {
            "a block of foreign functions (`extern { ... }`) is not allowed in a lesson file".into()
        }
    }
}

/// Why a package's crate root cannot be trusted to forbid unsafe code.
#[derive(Debug, thiserror::Error)]
pub enum CrateRootError {
    /// Its manifest cannot be read or parsed.
    #[error("cannot read {path}: {why}")]
    Unreadable {
        /// The manifest.
        path: String,
        /// What went wrong.
        why: String,
    },
    /// Its manifest does not forbid unsafe code, or adds a build script or dependencies.
    #[error(
        "{path} {why}: the checker builds only lesson crates that forbid unsafe code and add nothing \
         that runs at build or load time (docs/security.md). Restore the course's {path}."
    )]
    Changed {
        /// The manifest.
        path: String,
        /// What is wrong, in words (`does not set [lints.rust] unsafe_code = "forbid"`).
        why: String,
    },
}

/// The build script every lesson crate of the course uses (`runner/stubs_build.rs`).
const LESSON_BUILD_SCRIPT: &str = "../runner/stubs_build.rs";

/// Checks that `package`'s manifest (`root/package/Cargo.toml`) makes rustc forbid unsafe code
/// in the whole crate (`[lints.rust] unsafe_code = "forbid"`, which no attribute in a lesson
/// file can lift), has no build script but the course's, no build dependencies, and no
/// dependency outside the workspace's `[workspace.dependencies]` and the runner: so that
/// nothing but the lesson files' own safe code comes from the lesson crate.
///
/// # Errors
/// The manifest cannot be read, or breaks one of these rules ([`CrateRootError`]).
pub fn check_crate_root(root: &Path, package: &str) -> Result<(), CrateRootError> {
    let path = format!("{package}/Cargo.toml");
    let read = |file: &Path| -> Result<toml::Table, CrateRootError> {
        let text = std::fs::read_to_string(file).map_err(|e| CrateRootError::Unreadable {
            path: file.display().to_string(),
            why: e.to_string(),
        })?;
        text.parse()
            .map_err(|e: toml::de::Error| CrateRootError::Unreadable {
                path: file.display().to_string(),
                why: e.message().to_string(),
            })
    };
    let manifest = read(&root.join(&path))?;
    let workspace = read(&root.join("Cargo.toml"))?;
    let changed = |why: String| CrateRootError::Changed {
        path: path.clone(),
        why,
    };
    let lint = manifest
        .get("lints")
        .and_then(|l| l.get("rust"))
        .and_then(|r| r.get("unsafe_code"));
    let level = lint.and_then(|l| l.as_str().or_else(|| l.get("level")?.as_str()));
    if level != Some("forbid") {
        return Err(changed(
            "does not set `[lints.rust] unsafe_code = \"forbid\"`".into(),
        ));
    }
    let build = manifest
        .get("package")
        .and_then(|p| p.get("build"))
        .map(|b| b.as_str().unwrap_or("(not a path)"));
    if let Some(script) = build
        && script != LESSON_BUILD_SCRIPT
    {
        return Err(changed(format!(
            "has the build script `{script}`, not the course's `{LESSON_BUILD_SCRIPT}`"
        )));
    }
    if manifest.contains_key("build-dependencies") || manifest.contains_key("target") {
        return Err(changed(
            "declares build dependencies or platform-specific dependencies".into(),
        ));
    }
    let allowed: Vec<&str> = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .map(|d| d.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let dependencies = manifest.get("dependencies").and_then(|d| d.as_table());
    for name in dependencies.into_iter().flat_map(|d| d.keys()) {
        if name != "asynclings-runner" && !allowed.contains(&name.as_str()) {
            return Err(changed(format!(
                "adds the dependency `{name}`, which the workspace does not list"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(usize, Kind, String)> {
        scan(text)
            .into_iter()
            .map(|r| (r.line, r.kind, r.construct))
            .collect()
    }

    #[test]
    fn the_init_array_attack_is_refused_at_its_lines() {
        let text = "use std::time::Duration;\n\
                    #[used]\n\
                    #[unsafe(link_section = \".init_array\")]\n\
                    static FORGE: extern \"C\" fn() = forge;\n\
                    extern \"C\" fn forge() {}\n\
                    pub async fn say_hello() {}\n";
        let found = kinds(text);
        assert_eq!(
            found,
            vec![
                (2, Kind::LinkerAttribute, "#[used]".into()),
                (3, Kind::Unsafe, "unsafe".into()),
                (3, Kind::LinkerAttribute, "link_section".into()),
            ]
        );
    }

    #[test]
    fn assembly_and_foreign_blocks_are_refused_even_through_a_macro() {
        let text = "macro_rules! place { ($m:ident) => { $m!(\".section .init_array\"); } }\n\
                    place!(global_asm);\n\
                    extern \"C\" { fn getpid() -> i32; }\n\
                    fn f() { let x = 1; core::arch::asm!(\"nop\"); }\n\
                    #![no_main]\n";
        let found = kinds(text);
        assert!(
            found.contains(&(2, Kind::Assembly, "global_asm!".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&(3, Kind::ExternBlock, "extern { ... }".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&(4, Kind::Assembly, "asm!".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&(5, Kind::LinkerAttribute, "#[no_main]".into())),
            "{found:?}"
        );
    }

    #[test]
    fn ordinary_lesson_code_words_and_comments_are_not_refused() {
        let text = "//! unsafe, #[used] and global_asm! in a comment do not count.\n\
                    extern crate rand;\n\
                    pub extern \"C\" fn callable() {}\n\
                    /// `#[no_mangle]` in a doc comment does not count either.\n\
                    pub async fn wait_n(n: u32, used: f64) -> Vec<f64> {\n\
                        let asm = \"unsafe { global_asm!() }\";\n\
                        let link = used + asm.len() as f64;\n\
                        #[allow(unused)] let start = link;\n\
                        tokio::select! { _ = tokio::time::sleep(std::time::Duration::ZERO) => {} }\n\
                        vec![start; n as usize]\n\
                    }\n";
        assert_eq!(kinds(text), vec![]);
    }

    #[test]
    fn a_refusal_is_rendered_in_rustc_form() {
        let text = "fn a() {}\n    #[used] static X: u8 = 0;\n";
        let found = scan(text);
        assert_eq!(found.len(), 1);
        let rendered = found[0].rendered("exercises/src/05_wait_random.rs", text);
        assert!(
            rendered.contains("error[refused]: `#[used]` (an attribute for the linker)"),
            "{rendered}"
        );
        assert!(
            rendered.contains("--> exercises/src/05_wait_random.rs:2:5"),
            "{rendered}"
        );
        assert!(rendered.contains("2 |     #[used]"), "{rendered}");
    }

    fn course_copy(manifest: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exercises")).unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[workspace]\n[workspace.dependencies]\ntokio = \"1\"\nrand = \"0.10\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("exercises/Cargo.toml"), manifest).unwrap();
        dir
    }

    const GOOD: &str = "[package]\nname = \"exercises\"\nbuild = \"../runner/stubs_build.rs\"\n\
                        [dependencies]\ntokio.workspace = true\nasynclings-runner = { path = \"../runner\" }\n\
                        [lints.rust]\nunsafe_code = \"forbid\"\n";

    #[test]
    fn the_course_lesson_crates_forbid_unsafe_code() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        check_crate_root(root, "exercises").unwrap();
        check_crate_root(root, "solutions").unwrap();
        let copy = course_copy(GOOD);
        check_crate_root(copy.path(), "exercises").unwrap();
    }

    #[test]
    fn a_crate_root_that_lifts_the_lint_or_adds_code_is_refused() {
        let cases = [
            (GOOD.replace("forbid", "allow"), "unsafe_code"),
            (
                GOOD.replace("[lints.rust]\nunsafe_code = \"forbid\"\n", ""),
                "unsafe_code",
            ),
            (
                GOOD.replace("../runner/stubs_build.rs", "build.rs"),
                "build script `build.rs`",
            ),
            (
                format!("{GOOD}[build-dependencies]\ncc = \"1\"\n"),
                "build dependencies",
            ),
            (
                format!("{GOOD}[dependencies.ctor]\nversion = \"0.2\"\n"),
                "`ctor`",
            ),
        ];
        for (manifest, expected) in cases {
            let copy = course_copy(&manifest);
            let error = check_crate_root(copy.path(), "exercises")
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{expected}: {error}");
            assert!(error.contains("exercises/Cargo.toml"), "{error}");
        }
    }
}
