//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use checker::cargo_build::{Build, build};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// The checker binary, run from the workspace root, without colors.
pub fn checker() -> Command {
    let mut command = Command::cargo_bin("checker").expect("checker binary");
    command
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TARGET_DIR_OVERRIDE");
    command
}

/// Builds (once per test binary) the runner of `package` and returns its path.
pub fn runner(package: &str) -> PathBuf {
    static CACHE: OnceLock<std::sync::Mutex<std::collections::HashMap<String, PathBuf>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap();
    cache
        .entry(package.to_string())
        .or_insert_with(|| {
            let (root, bin) = (root(), format!("{package}-runner"));
            let request = checker::cargo_build::Request {
                root: &root,
                package,
                bin: &bin,
                release: false,
                color: false,
                sandbox: &checker::os::sandbox::Sandbox::off(),
                hidden: &[],
            };
            match build(&request) {
                Ok(Build::Built(path)) => path,
                Ok(Build::Failed {
                    errors,
                    cargo_output,
                }) => panic!("{package} does not build: {errors:?}\n{cargo_output}"),
                Err(e) => panic!("cannot build {package}: {e:#}"),
            }
        })
        .clone()
}

/// Runs the checker with `args` and parses its JSON report; returns (exit code, report).
pub fn json_report(args: &[&str]) -> (i32, serde_json::Value) {
    let output = checker()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("checker runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), report)
}

/// Lesson `id` of a JSON report; panics, naming it, when the report has no such lesson.
pub fn lesson_of<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("no lesson {id} in the report"))
}

/// (lesson id, status) of every lesson of a report.
pub fn lesson_statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    report["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_string(),
                l["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every case of a report.
pub fn cases(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["cases"].as_array().unwrap().clone())
        .collect()
}

/// Copies the workspace (without target/ and .git) into a temporary folder.
pub fn copy_workspace() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(&name));
            } else {
                std::fs::copy(entry.path(), to.join(&name)).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&root(), dir.path());
    dir
}

/// The target directory for builds of workspace copies: their packages must not overwrite the
/// real ones, and one directory for all copies keeps the dependencies built once.
pub fn copies_target() -> PathBuf {
    root().join("target/workspace-copies")
}

/// How many lessons the course has: one spec file each in specs/.
pub fn lesson_count() -> usize {
    std::fs::read_dir(root().join("specs"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count()
}

/// One wrong implementation of the corpus, as its header describes it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The variant's name: its file name.
    pub variant: String,
    /// The file.
    pub file: PathBuf,
    /// What is wrong, in a sentence.
    pub mistake: String,
    /// The lesson it replaces (the first, when it replaces several).
    pub lesson: String,
    /// Every lesson it replaces: `Lesson: a, b, c`.
    pub lessons: Vec<String>,
    /// A phrase the checker's verdict must contain (`Expect:`; the headline when absent).
    pub expect: String,
    /// A phrase the headline of its lesson must contain: the first diagnosis of the lesson's
    /// first failing case (`Headline:`).
    pub headline: Option<String>,
    /// Other lessons it makes fail, with a phrase each one's headline must contain
    /// (`Headline of LESSON:`).
    pub headline_of: Vec<(String, String)>,
    /// Phrases the headline must not contain: false causes seen before (`Not:`).
    pub not: Vec<String>,
}

/// Reads the headers of `corpus/src/KIND/*.rs`, in file order:
///
/// ```text
/// //! Mistake: what is wrong, in a sentence.
/// //! Lesson: the lesson it replaces (or several: `a, b, c`)
/// //! Headline: a phrase the lesson's headline must contain
/// //! Headline of LESSON: the same for another lesson it replaces
/// //! Not: a phrase the headline must not contain (a false cause)
/// //! Expect: a phrase the verdict must contain (hostile entries)
/// ```
pub fn corpus_entries(kind: &str) -> Vec<Entry> {
    let dir = root().join("corpus/src").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable");
            let all = |name: &str| -> Vec<String> {
                text.lines()
                    .filter_map(|l| l.strip_prefix(&format!("//! {name}: ")))
                    .map(|v| v.trim().to_string())
                    .collect()
            };
            let one = |name: &str| all(name).into_iter().next();
            let need = |name: &str| {
                one(name).unwrap_or_else(|| panic!("{} has no `//! {name}:` line", path.display()))
            };
            let lessons: Vec<String> = need("Lesson")
                .split(',')
                .map(|l| l.trim().to_string())
                .collect();
            let headline = one("Headline");
            let headline_of = text
                .lines()
                .filter_map(|l| l.strip_prefix("//! Headline of "))
                .filter_map(|rest| rest.split_once(": "))
                .map(|(lesson, phrase)| (lesson.trim().to_string(), phrase.trim().to_string()))
                .collect();
            let expect = one("Expect")
                .or_else(|| headline.clone())
                .unwrap_or_else(|| {
                    panic!("{} has neither `Headline:` nor `Expect:`", path.display())
                });
            Entry {
                variant: path
                    .file_stem()
                    .expect("a file name")
                    .to_string_lossy()
                    .into_owned(),
                mistake: need("Mistake"),
                lesson: lessons[0].clone(),
                lessons,
                expect,
                headline,
                headline_of,
                not: all("Not"),
                file: path,
            }
        })
        .collect()
}

/// A copy of the workspace where `file` (relative to the root) has `from` replaced by `to`.
pub fn broken_copy(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let copy = copy_workspace();
    let path = copy.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    copy
}

/// Runs the checker in the workspace copy `copy` (built in [`copies_target`]) with `args` and
/// `--format FORMAT --output FILE`; returns (exit status, the file's text).
pub fn report_file_in(copy: &Path, format: &str, args: &[&str]) -> (Option<i32>, String) {
    let file = copy.join(format!("report.{format}"));
    let output = checker()
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", copies_target())
        .args(args)
        .args(["--format", format, "--output"])
        .arg(&file)
        .output()
        .expect("checker runs");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "no {format} report written ({e}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), text)
}

/// (pid, state, ppid, session, command line) of every process, from /proc.
pub fn processes() -> Vec<(i32, String, i32, i32, String)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
            let state = rest.next()?.to_string();
            let ppid = rest.next()?.parse().ok()?;
            let _group = rest.next()?;
            let session = rest.next()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline"))
                .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
                .unwrap_or_default();
            Some((pid, state, ppid, session, cmdline))
        })
        .collect()
}

/// `text` with the human report's `Sandbox: ...` line (and the lines it wraps onto, indented)
/// replaced by `Sandbox: <varies by machine>`: what the sandbox holds depends on the kernel and
/// on whether the tests run as root.
#[allow(dead_code)] // not every test binary has human reports
pub fn mask_sandbox(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_sandbox = false;
    for line in text.split('\n') {
        if line.starts_with("Sandbox: ") {
            in_sandbox = true;
            out.push("Sandbox: <varies by machine>");
        } else if in_sandbox && line.starts_with("  ") {
            continue;
        } else {
            in_sandbox = false;
            out.push(line);
        }
    }
    out.join("\n")
}

/// Chromium, installed with apt-get when missing (the test fails rather than skips).
pub fn chromium() -> PathBuf {
    let find = || {
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|name| which(name))
    };
    if let Some(path) = find() {
        return path;
    }
    if cfg!(target_os = "linux") {
        let _ = std::process::Command::new("apt-get").arg("update").status();
        let _ = std::process::Command::new("apt-get")
            .args(["install", "-y", "chromium"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
    }
    find().expect(
        "chromium is needed for this test and could not be installed (apt-get install -y chromium)",
    )
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}
