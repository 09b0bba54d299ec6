//! Helpers shared by the integration tests (`tests/it/`, and `tests/corpus.rs`).
#![allow(dead_code)]

mod copies;

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

/// The run seed of every checker the tests start (`ASYNCLINGS_SEED`): the code under test
/// draws the same numbers on every run of the suite, so that no verdict, diagnosis or
/// snapshot depends on a draw (a sequential `wait_n` whose delays come out descending is
/// diagnosed as such, once in 120 runs). Tests of fresh seeds remove it.
pub const SEED: &str = "1";

pub use checker::seed::SEED_ENV;

/// The checker binary, run from the workspace root, without colors, with the tests' seed.
pub fn checker() -> Command {
    let mut command = Command::cargo_bin("checker").expect("checker binary");
    command
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env(SEED_ENV, SEED)
        .env_remove("CARGO_TARGET_DIR_OVERRIDE");
    command
}

/// Builds (once per test process) the runner of `package` and returns its path. A build that
/// fails panics in the test that asked, and the next test asks again: the cache holds only
/// built runners, so a poisoned lock is taken all the same (every test of the binary would
/// fail otherwise).
pub fn runner(package: &str) -> PathBuf {
    static CACHE: OnceLock<std::sync::Mutex<std::collections::HashMap<String, PathBuf>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
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
                // The corpus is the checker's own test material: its hostile entries are
                // unsafe on purpose.
                untrusted: package != "corpus",
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

/// The variable that tells a test process which test it was started for ([`alone`]).
const ALONE_ENV: &str = "ASYNCLINGS_TEST_ALONE";

/// Whether the test `name` (its full name in this binary: `MODULE::FUNCTION`) runs here with
/// nothing beside it. False in the process of the whole suite, where it runs the test in a
/// process of its own (this binary again, `--exact name`, one thread) and panics, with that
/// process's output, unless the test passed there (then that output is this test's output);
/// true in that process, where the test body runs. The caller returns at once on false:
///
/// ```ignore
/// if !common::alone("instructor::NAME") {
///     return;
/// }
/// ```
///
/// For a test whose process must run nothing else: one that grades in-process (the
/// supervisor kills and reaps every child of its process that is not one of its cases: the
/// `checker` commands of other tests), or that counts every descendant of its process as its
/// own. The tests share one process otherwise.
pub fn alone(name: &str) -> bool {
    if std::env::var_os(ALONE_ENV).is_some_and(|n| n == name) {
        return true;
    }
    let binary = std::env::current_exe().expect("the test binary's path");
    let output = std::process::Command::new(binary)
        .args([name, "--exact", "--include-ignored", "--nocapture"])
        .arg("--test-threads=1")
        .env(ALONE_ENV, name)
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{name}, in a process of its own:\n{stdout}{stderr}"
    );
    assert!(
        stdout.contains("1 passed"),
        "{name} did not run in a process of its own (no test of that name?):\n{stdout}{stderr}"
    );
    // What the test printed, shown as its own output would be (with `--nocapture`).
    print!("{stdout}");
    eprint!("{stderr}");
    false
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

pub use copies::{WorkspaceCopy, copy_workspace, target_of};
// Used by tests/it only: tests/corpus.rs and tests/hostile.rs hand no target directory over.
#[allow(unused_imports)]
pub use copies::seeded;

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

pub use checker::corpus::Entry;

/// Every entry of `corpus/src/KIND/*.rs`, in file order (see [`checker::corpus`]); panics,
/// naming the file, on a header that lacks a field.
pub fn corpus_entries(kind: &str) -> Vec<Entry> {
    checker::corpus::entries(&root(), kind).unwrap_or_else(|e| panic!("{e:#}"))
}

/// A copy of the workspace where `file` (relative to the root) has `from` replaced by `to`.
pub fn broken_copy(file: &str, from: &str, to: &str) -> WorkspaceCopy {
    let copy = copy_workspace();
    let path = copy.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    copy
}

/// Runs the checker in the workspace copy `copy` (built in [`target_of`] it) with `args` and
/// `--format FORMAT --output FILE`; returns (exit status, the file's text).
pub fn report_file_in(copy: &Path, format: &str, args: &[&str]) -> (Option<i32>, String) {
    let file = copy.join(format!("report.{format}"));
    let output = checker()
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", target_of(copy))
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
#[cfg(target_os = "linux")]
pub fn processes() -> Vec<(i32, String, i32, i32, String)> {
    use asynclings_runner::procfs;
    procfs::pids()
        .into_iter()
        .filter_map(|pid| {
            let stat = procfs::stat(&pid.to_string())?;
            Some((
                pid,
                stat.state,
                stat.ppid,
                stat.session,
                procfs::command_line(pid),
            ))
        })
        .collect()
}

/// `text` with the human report's `Sandbox: ...` line (and the lines it wraps onto, indented)
/// replaced by `Sandbox: <varies by machine>`: what the sandbox holds depends on the kernel and
/// on whether the tests run as root.
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
