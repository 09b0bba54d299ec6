//! The student repository of a graded course (`checker template OUT` writes it, `checker
//! verify` checks it). It holds the lesson stubs (`exercises/`), the public specs (hidden cases
//! and checks removed), the checker and its runner, `course.toml`, `Cargo.lock`,
//! `.cargo/config.toml` and a student README; never `solutions/`, the test corpus, the
//! benchmarks or the checker's own tests. Its workspace lists exactly the packages copied, so
//! `cargo run -p checker` works in a fresh clone of it.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::exit::{Error, ResultExt};

/// The workspace packages a student repository holds, in this order.
pub const MEMBERS: &[&str] = &["checker", "runner", "exercises"];

/// Files of the course root copied as they are.
const ROOT_FILES: &[&str] = &["Cargo.lock", "course.toml"];

/// Folders of a package never copied: the checker's own tests need the solutions and corpus.
const SKIPPED: &[&str] = &["target", "tests", ".git"];

/// The README of the student repository.
const STUDENT_README: &str = r#"# asynclings

Async Rust exercises, graded on tokio's virtual clock: a lesson that sleeps for ten seconds is
graded in a few milliseconds, and the checker tells you what passes, what fails, and why.

## Start

```sh
cargo run -p checker          # grade your exercises; the report opens on the next lesson
cargo run -p checker -- watch # grade again on every save
cargo run -p checker -- hint wait_n
```

You need a Rust toolchain (1.88 or newer) and nothing else, on Linux, macOS or Windows.

## Working through the lessons

1. Run `cargo run -p checker`. The report names the first lesson and the file to edit.
2. Open that file in `exercises/src/`. It starts with the lesson: the idea, what to write, and
   what the checker looks at. Replace the `todo!()` with your code.
3. Run the checker again. A failing case shows what was expected, what your code did, and
   usually a one-line diagnosis of the mistake.

Edit only the files in `exercises/src/`. Your course grades them with its own copy of the
checker and of the specs, which include cases you do not see here.
"#;

/// Writes the student repository of the course at `root` into `out`.
///
/// # Errors
/// A usage error when `out` is a folder that is not empty, or inside the course; an I/O
/// error (exit status 4) naming the file that could not be read or written.
pub fn write_template(root: &Path, out: &Path) -> Result<(), Error> {
    if out.exists() && std::fs::read_dir(out).map_or(true, |mut d| d.next().is_some()) {
        return Err(Error::Usage(anyhow::anyhow!(
            "{} exists and is not an empty folder: give a new one",
            out.display()
        )));
    }
    if std::path::absolute(out)
        .or_fail(Error::Usage)?
        .starts_with(std::path::absolute(root).or_fail(Error::Usage)?)
    {
        return Err(Error::Usage(anyhow::anyhow!(
            "{} is inside the course: write the template outside it",
            out.display()
        )));
    }
    write_files(root, out)
}

/// Writes every file of the template (see [`write_template`]).
fn write_files(root: &Path, out: &Path) -> Result<(), Error> {
    create_dir(out).or_fail(Error::Io)?;
    for member in MEMBERS {
        copy_dir(&root.join(member), &out.join(member)).or_fail(Error::Io)?;
        // The checker's own tests stay behind, and so must the `[[test]]` targets naming them.
        let manifest = out.join(member).join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            write(&manifest, &without_test_targets(&text)).or_fail(Error::Io)?;
        }
    }
    for file in ROOT_FILES {
        std::fs::copy(root.join(file), out.join(file))
            .with_context(|| format!("cannot copy {file}"))
            .or_fail(Error::Io)?;
    }
    // The cfgs that let a run be replayed from its seed, for plain `cargo` commands too
    // (checker/src/seed.rs).
    create_dir(&out.join(".cargo")).or_fail(Error::Io)?;
    std::fs::copy(
        root.join(".cargo").join("config.toml"),
        out.join(".cargo").join("config.toml"),
    )
    .context("cannot copy .cargo/config.toml")
    .or_fail(Error::Io)?;
    // The editor's settings: verdicts under the student's code as they save (docs/editor.md).
    if root.join(".vscode").is_dir() {
        copy_dir(&root.join(".vscode"), &out.join(".vscode")).or_fail(Error::Io)?;
    }
    write(
        &out.join("Cargo.toml"),
        &workspace_manifest(root).or_fail(Error::Io)?,
    )
    .or_fail(Error::Io)?;
    write(&out.join("README.md"), STUDENT_README).or_fail(Error::Io)?;
    write(&out.join(".gitignore"), "target/\n").or_fail(Error::Io)?;
    let specs = out.join("specs");
    create_dir(&specs).or_fail(Error::Io)?;
    for path in crate::spec::spec_files(&[root.join("specs")])
        .map_err(|e| anyhow::anyhow!("{e}"))
        .or_fail(Error::Io)?
    {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))
            .or_fail(Error::Io)?;
        let public = public_spec(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
            .or_fail(Error::Spec)?;
        if let Some(public) = public {
            let name = path.file_name().unwrap_or_default();
            write(&specs.join(name), &public).or_fail(Error::Io)?;
        }
    }
    Ok(())
}

/// Writes `text` to `path`, naming it on failure.
fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Creates `path` and its parents, naming it on failure.
fn create_dir(path: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))
}

/// The course's workspace manifest with its members (and default members) cut to [`MEMBERS`].
fn workspace_manifest(root: &Path) -> anyhow::Result<String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut manifest: toml::Table = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(|w| w.as_table_mut())
        .ok_or_else(|| anyhow::anyhow!("Cargo.toml has no [workspace]"))?;
    let members: Vec<toml::Value> = MEMBERS.iter().map(|m| toml::Value::from(*m)).collect();
    workspace.insert("members".into(), toml::Value::Array(members));
    if let Some(defaults) = workspace
        .get_mut("default-members")
        .and_then(|d| d.as_array_mut())
    {
        defaults.retain(|d| d.as_str().is_some_and(|d| MEMBERS.contains(&d)));
    }
    Ok(format!(
        "# The student repository of the course, written by `checker template`.\n{}",
        toml::to_string(&manifest)?
    ))
}

/// A package manifest without its `[[test]]` tables (each runs to the next table header).
fn without_test_targets(manifest: &str) -> String {
    let mut out = String::new();
    let mut in_test = false;
    for line in manifest.lines() {
        let header = line.trim_start();
        if header.starts_with('[') {
            in_test = header.starts_with("[[test]]");
        }
        if !in_test {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Copies a package folder, without [`SKIPPED`] folders and without following links.
fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    create_dir(to)?;
    let cannot_read = || format!("cannot read {}", from.display());
    for entry in std::fs::read_dir(from).with_context(cannot_read)? {
        let entry = entry.with_context(cannot_read)?;
        let name = entry.file_name();
        let kind = entry.file_type().with_context(cannot_read)?;
        if kind.is_dir() {
            if !SKIPPED.iter().any(|s| name == *s) {
                copy_dir(&entry.path(), &to.join(&name))?;
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name))
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// A spec's text without its hidden cases and source checks; `None` when nothing public is
/// left. Each `[[case]]`, `[[source]]` or `[[diagnose]]` block runs to the next one, with the
/// comment lines just above a header going with it; the result is checked to parse and to keep
/// every public case.
pub fn public_spec(text: &str) -> anyhow::Result<Option<String>> {
    let original: toml::Table = text.parse()?;
    let lines: Vec<&str> = text.lines().collect();
    let is_header = |l: &str| {
        let l = l.trim();
        l == "[[case]]" || l == "[[source]]" || l == "[[diagnose]]"
    };
    // Where each block starts: its header, or the comments right above it.
    let mut starts = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if is_header(line) {
            let mut start = index;
            while start > 0 && lines[start - 1].trim_start().starts_with('#') {
                start -= 1;
            }
            starts.push(start);
        }
    }
    let mut out: Vec<&str> = lines[..starts.first().copied().unwrap_or(lines.len())].to_vec();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(lines.len());
        let block = lines[start..end].join("\n");
        let hidden = block.parse::<toml::Table>().ok().is_some_and(|t| {
            t.values()
                .filter_map(|v| v.as_array())
                .flatten()
                .any(|item| item.get("hidden").and_then(|h| h.as_bool()) == Some(true))
        });
        if !hidden {
            out.extend(&lines[start..end]);
        }
    }
    let public = format!("{}\n", out.join("\n").trim_end());
    let kept: toml::Table = public.parse()?;
    let count = |t: &toml::Table, key: &str, hidden: bool| {
        t.get(key).and_then(|v| v.as_array()).map_or(0, |a| {
            a.iter()
                .filter(|c| c.get("hidden").and_then(|h| h.as_bool()).unwrap_or(false) == hidden)
                .count()
        })
    };
    for key in ["case", "source"] {
        if count(&kept, key, true) != 0 || count(&kept, key, false) != count(&original, key, false)
        {
            anyhow::bail!("cannot separate the hidden [[{key}]] entries from the public ones");
        }
    }
    if count(&kept, "case", false) + count(&kept, "source", false) == 0 {
        return Ok(None);
    }
    Ok(Some(public))
}

/// What is wrong with the template of the course at `root`: it is written (in a temporary
/// folder), must hold no solutions and no hidden case, and must compile (`cargo check -p
/// checker -p exercises`, offline). `checker verify` reports it.
///
/// The check runs in a copy kept in `target/template-check/workspace`, brought in step with the
/// template file by file ([`crate::mirror::sync_dir`]), and built in
/// `target/template-check/target`: a file of the template that did not change keeps its time,
/// so the next `verify` checks only what changed (the checker crate alone took about 20 s of
/// CPU to check again, on every `verify`, when the template was checked where it was written).
/// One `verify` at a time uses that copy (a lock file beside it).
///
/// # Errors
/// The template cannot be written, read back or checked at all.
pub fn check_template(root: &Path) -> anyhow::Result<Vec<String>> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("asynclings");
    write_template(root, &out).map_err(Error::into_cause)?;
    let mut problems = Vec::new();
    for absent in ["solutions", "corpus", "bench", "checker/tests"] {
        if out.join(absent).exists() {
            problems.push(format!("the template holds {absent}/"));
        }
    }
    for entry in std::fs::read_dir(out.join("specs"))? {
        let path = entry?.path();
        let table: toml::Table = std::fs::read_to_string(&path)?.parse()?;
        let hidden = ["case", "source"].iter().any(|key| {
            table.get(*key).and_then(|v| v.as_array()).is_some_and(|a| {
                a.iter()
                    .any(|c| c.get("hidden").and_then(|h| h.as_bool()) == Some(true))
            })
        });
        if hidden {
            problems.push(format!(
                "the template's {} has a hidden case",
                path.display()
            ));
        }
    }
    // Type-checked, not linked (tests/it/template.rs builds and runs it): in a folder of the
    // course's target directory, so that its dependencies are checked once.
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("template-check");
    let lock_file = base.join("lock");
    // Held until the check is done (dropped at the end of this function).
    let _lock = std::fs::create_dir_all(&base)
        .and_then(|()| std::fs::File::create(&lock_file))
        .and_then(|lock| lock.lock().map(|()| lock))
        .with_context(|| format!("cannot take {}", lock_file.display()))?;
    let (copy, target) = (base.join("workspace"), base.join("target"));
    crate::mirror::sync_dir(&out, &copy)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "check",
            "-q",
            "--offline",
            "-p",
            "checker",
            "-p",
            "exercises",
        ])
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", target)
        .output()?;
    if !output.status.success() {
        problems.push(format!(
            "the template does not compile:\n{}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_targets_leave_the_manifest_and_the_rest_stays() {
        let manifest = "[package]\nname = \"checker\"\n\n[[test]]\nname = \"corpus\"\nharness = false\n\n[dependencies]\nx = \"1\"\n";
        let out = without_test_targets(manifest);
        assert!(
            !out.contains("[[test]]") && !out.contains("harness"),
            "{out}"
        );
        assert!(
            out.contains("[package]") && out.contains("[dependencies]\nx = \"1\""),
            "{out}"
        );
    }

    #[test]
    fn hidden_cases_and_their_comments_are_removed() {
        let spec = r#"lesson = "l"
title = "t"

[[case]]
name = "public"
[case.expect]
returns = 1

# The secret: 14.317 s.
[[case]]
name = "secret"
hidden = true
args = { delays = [
  1, 2,
] }
[case.expect]
elapsed = "14.317s"
[[case.diagnose]]
when = "x"
says = "y"

[[source]]
name = "reads"
"#;
        let public = public_spec(spec).unwrap().unwrap();
        assert!(!public.contains("secret"), "{public}");
        assert!(!public.contains("14.317"), "{public}");
        assert!(public.contains("name = \"public\""));
        assert!(public.contains("[[source]]"));
        let only_hidden = "lesson = \"l\"\n[[case]]\nname = \"s\"\nhidden = true\n";
        assert_eq!(public_spec(only_hidden).unwrap(), None);
    }
}
