//! Lesson scaffolding, for `checker new LESSON`: everything a new lesson needs so that the
//! course builds and `checker verify` passes at once, except for the reference body, which is
//! the instructor's to write.
//!
//! It writes the stub with an instructions template (`exercises/src/NN_lesson.rs`), the
//! reference (`solutions/src/NN_lesson.rs`, a `todo!()` too), the spec (`specs/NN_lesson.toml`),
//! the lesson's lines in both `lib.rs` files, and its entry in the lesson registry
//! (`course.toml`), from which the runner's bindings and the stubs are made. It refuses to
//! overwrite any file, and writes nothing unless it can write everything.
//!
//! The function is `--signature`, any signature the registry takes (an `async fn`, a `fn`
//! returning `JoinHandle<T>`, or one returning `impl Stream<Item = T>`); by default
//! `pub async fn LESSON(n: u64) -> u64`.
//!
//! [`plan`] computes every file to write before anything is written; [`apply`] writes them.
//! The files' contents are made in [`templates`].

pub mod templates;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use asynclings_runner::registry::Registry;
use asynclings_runner::registry::signature::Signature;

use crate::exit::{Error, ResultExt};
use templates::{imports, reference, spec, stub};

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

/// A folder for the copies of the files `new` edits: `TARGET/new-backups/SECONDS`, one per
/// run (a second run in the same second gets `SECONDS-2`, ...).
pub fn backup_dir(root: &Path) -> PathBuf {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let base = crate::cargo_build::target_dir(root).join("new-backups");
    let mut dir = base.join(seconds.to_string());
    let mut k = 2;
    while dir.exists() {
        dir = base.join(format!("{seconds}-{k}"));
        k += 1;
    }
    dir
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
pub fn plan(
    root: &Path,
    name: &str,
    title: Option<&str>,
    signatures: &[String],
) -> anyhow::Result<(u32, Vec<Write>)> {
    check_name(name)?;
    let signatures = signatures_of(name, signatures)?;
    let signature = &signatures[0];
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
    let registry = asynclings_runner::registry::FILE_NAME;
    let registry_text = read(root, registry)?;
    let prelude = toml::from_str::<Registry>(&registry_text)
        .map(|r| r.prelude)
        .unwrap_or_default();
    let imports = imports(&prelude, &signatures);
    let mut writes = vec![
        Write {
            path: PathBuf::from("exercises/src").join(&file),
            contents: stub(number, name, title, &signatures, &imports),
            new: true,
        },
        Write {
            path: PathBuf::from("solutions/src").join(&file),
            contents: reference(number, title, &signatures, &imports),
            new: true,
        },
        Write {
            path: PathBuf::from(format!("specs/{number:02}_{name}.toml")),
            contents: spec(number, name, title, signature),
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
    writes.push(Write {
        path: PathBuf::from(registry),
        contents: with_registry_entry(&registry_text, name, &file, &signatures)
            .with_context(|| format!("cannot add the lesson to {registry}"))?,
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
/// Every file it edits is first copied to `backup` (under the same relative path), so that an
/// edit is never the only copy.
///
/// # Errors
/// A file cannot be backed up, created or written ([`Error::Io`]).
pub fn apply(root: &Path, writes: &[Write], backup: &Path) -> Result<(), Error> {
    for write in writes.iter().filter(|w| !w.new) {
        let from = root.join(&write.path);
        let to = backup.join(&write.path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot make {}", parent.display()))
                .or_fail(Error::Io)?;
        }
        std::fs::copy(&from, &to)
            .with_context(|| {
                format!(
                    "cannot back up {} to {} (nothing was written)",
                    write.path.display(),
                    to.display()
                )
            })
            .or_fail(Error::Io)?;
    }
    for write in writes {
        let path = root.join(&write.path);
        if write.new {
            use std::io::Write as _;
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .with_context(|| format!("cannot create {}", write.path.display()))
                .or_fail(Error::Io)?;
            file.write_all(write.contents.as_bytes())
                .with_context(|| format!("cannot write {}", write.path.display()))
                .or_fail(Error::Io)?;
        } else {
            std::fs::write(&path, &write.contents)
                .with_context(|| format!("cannot write {}", write.path.display()))
                .or_fail(Error::Io)?;
        }
    }
    Ok(())
}

/// The lesson's functions: each of `given`, or the default one when none is given; their
/// names differ.
pub fn signatures_of(name: &str, given: &[String]) -> anyhow::Result<Vec<Signature>> {
    let signatures = if given.is_empty() {
        vec![signature_of(name, None)?]
    } else {
        given
            .iter()
            .map(|text| signature_of(name, Some(text)))
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    for (k, signature) in signatures.iter().enumerate() {
        if signatures[..k].iter().any(|s| s.name == signature.name) {
            bail!("two signatures declare `{}`", signature.name);
        }
    }
    Ok(signatures)
}

/// The lesson's function: `given`, or `pub async fn NAME(n: u64) -> u64`, checked as the
/// registry checks it.
pub fn signature_of(name: &str, given: Option<&str>) -> anyhow::Result<Signature> {
    let text = given.map_or_else(
        || format!("pub async fn {name}(n: u64) -> u64"),
        str::to_string,
    );
    let signature = Signature::parse(&text).map_err(|why| anyhow::anyhow!("`{text}`: {why}"))?;
    signature
        .kind()
        .map_err(|why| anyhow::anyhow!("`{text}`: {why}"))?;
    Ok(signature)
}

/// `lib.rs` with the lesson's module added at the end (course order), with its stub line.
pub fn with_module(lib: &str, name: &str, file: &str) -> anyhow::Result<String> {
    let declaration = format!("pub mod {name};");
    if lib.lines().any(|l| l.trim() == declaration) {
        bail!("it already declares `{declaration}`");
    }
    Ok(format!(
        "{}\n#[cfg(not(asynclings_stub = \"{name}\"))]\n#[path = \"{file}\"]\n{declaration}\n#[cfg(asynclings_stub = \"{name}\")]\nasynclings_runner::stub!({name});\n",
        lib.trim_end()
    ))
}

/// The registry (`course.toml`) with the lesson's entry added at the end.
pub fn with_registry_entry(
    registry: &str,
    name: &str,
    file: &str,
    signatures: &[Signature],
) -> anyhow::Result<String> {
    let parsed: Registry = toml::from_str(registry).context("it is not a lesson registry")?;
    if parsed.lesson(name).is_some() {
        bail!("it already has lesson `{name}`");
    }
    let functions: Vec<String> = signatures
        .iter()
        .map(|s| format!("\"{}\"", s.text.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    Ok(format!(
        "{}\n\n[[lesson]]\nid = \"{name}\"\nfile = \"{file}\"\nfunctions = [{}]\n",
        registry.trim_end(),
        functions.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_file_is_backed_up_first_and_a_new_one_never_overwrites() {
        let root = tempfile::tempdir().unwrap();
        let backup = root.path().join("backup");
        std::fs::write(root.path().join("lib.rs"), "old").unwrap();
        std::fs::write(root.path().join("taken.rs"), "mine").unwrap();
        let edit = Write {
            path: "lib.rs".into(),
            contents: "new".into(),
            new: false,
        };
        apply(root.path(), std::slice::from_ref(&edit), &backup).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.path().join("lib.rs")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(backup.join("lib.rs")).unwrap(),
            "old"
        );
        let clash = Write {
            path: "taken.rs".into(),
            contents: "stub".into(),
            new: true,
        };
        assert!(apply(root.path(), &[clash], &backup).is_err());
        assert_eq!(
            std::fs::read_to_string(root.path().join("taken.rs")).unwrap(),
            "mine"
        );
        // A file that cannot be backed up is not edited.
        let missing = Write {
            path: "gone.rs".into(),
            contents: "x".into(),
            new: false,
        };
        assert!(apply(root.path(), &[missing], &backup).is_err());
        assert!(!root.path().join("gone.rs").exists());
    }

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
    fn modules_go_at_the_end_with_their_stub_line() {
        let lib = "//! doc\n\n#[path = \"01_d.rs\"]\npub mod d;\n";
        let out = with_module(lib, "c", "02_c.rs").unwrap();
        assert!(out.ends_with(
            "pub mod d;\n#[cfg(not(asynclings_stub = \"c\"))]\n#[path = \"02_c.rs\"]\npub mod c;\n#[cfg(asynclings_stub = \"c\")]\nasynclings_runner::stub!(c);\n"
        ));
        assert!(with_module(&out, "c", "02_c.rs").is_err());
    }

    #[test]
    fn the_registry_entry_is_added_once_with_any_signature() {
        let registry = "prelude = []\n\n[[lesson]]\nid = \"a\"\nfile = \"01_a.rs\"\nfunctions = [\"pub async fn a()\"]\n";
        let signature = signature_of(
            "ticks",
            Some("pub fn ticks(every: f64) -> impl Stream<Item = u32>"),
        )
        .unwrap();
        let one = std::slice::from_ref(&signature);
        let out = with_registry_entry(registry, "ticks", "02_ticks.rs", one).unwrap();
        let parsed: Registry = toml::from_str(&out).unwrap();
        parsed.check().unwrap();
        assert_eq!(
            parsed.lessons[1].functions,
            std::slice::from_ref(&signature.text)
        );
        assert!(with_registry_entry(&out, "ticks", "02_ticks.rs", one).is_err());
        assert!(
            signature_of("x", Some("pub fn x() -> u8")).is_err(),
            "neither async nor a task nor a stream"
        );
        assert!(
            stub(2, "ticks", "T", one, "").contains("futures::stream::once(async { todo!() })")
        );
        let timeout = signature_of(
            "at_most",
            Some("pub async fn at_most(limit: f64) -> Result<f64, Elapsed>"),
        )
        .unwrap();
        let timeout = std::slice::from_ref(&timeout);
        let prelude = [
            "tokio::time::error::Elapsed".to_string(),
            "std::time::Duration".to_string(),
        ];
        assert_eq!(
            imports(&prelude, timeout),
            "use tokio::time::error::Elapsed;\n\n"
        );
        assert!(
            reference(3, "T", timeout, &imports(&prelude, timeout))
                .contains("use tokio::time::error::Elapsed;")
        );
        assert_eq!(imports(&prelude, one), "", "Stream is not in this prelude");
        assert!(spec(2, "ticks", "T", &signature).contains("args = { every = 1.0 }"));
    }

    #[test]
    fn several_signatures_make_one_lesson_of_several_functions() {
        let given = [
            "pub async fn race(a: f64, b: f64) -> String".to_string(),
            "pub async fn progress(job: f64) -> Duration".to_string(),
        ];
        let signatures = signatures_of("race", &given).unwrap();
        let registry = "prelude = [\"std::time::Duration\"]\n";
        let out = with_registry_entry(registry, "race", "02_race.rs", &signatures).unwrap();
        let parsed: Registry = toml::from_str(&out).unwrap();
        parsed.check().unwrap();
        assert_eq!(parsed.lessons[0].functions, given);
        let file = stub(
            2,
            "race",
            "T",
            &signatures,
            &imports(&["std::time::Duration".into()], &signatures),
        );
        assert!(file.contains("use std::time::Duration;"), "{file}");
        assert!(file.contains("pub async fn race(a: f64, b: f64) -> String {\n    todo!()"));
        assert!(file.contains("pub async fn progress(job: f64) -> Duration {\n    todo!()"));
        let twice = [
            "pub async fn f()".to_string(),
            "pub async fn f()".to_string(),
        ];
        assert!(signatures_of("f", &twice).is_err());
    }
}
