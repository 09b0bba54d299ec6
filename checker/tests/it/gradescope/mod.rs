//! The Gradescope autograder, run as written (`docs/ci/gradescope/run_autograder`, the whole
//! file) with `AUTOGRADER_ROOT` on a temporary folder, for each layout a student may upload.
//! No network: the course copy builds offline in a target folder of its own.
//!
//! Run as root (Gradescope runs the script as root), the script builds and runs the student's
//! code as an unprivileged user: here `nobody`, with the Rust toolchain bound read-only where
//! `nobody` can read it, in a mount namespace of the test's own (`unshare`). The course copy
//! is root's and read-only to `nobody` (as `setup.sh` leaves it), and the checker runs from a
//! root-owned folder of its own with its SHA-256 beside it (as `setup.sh` installs it).
//!
//! Unix only: the script is bash, and the checks of owners and modes are Unix's.
#![cfg(unix)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::{WorkspaceCopy, copy_workspace, root};

/// Whether the test runs as root (then the script drops to `nobody`).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The toolchain folders of this machine: (CARGO_HOME, RUSTUP_HOME).
fn toolchain() -> (PathBuf, PathBuf) {
    let home = PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into()));
    let cargo = std::env::var_os("CARGO_HOME").map_or_else(|| home.join(".cargo"), PathBuf::from);
    let rustup =
        std::env::var_os("RUSTUP_HOME").map_or_else(|| home.join(".rustup"), PathBuf::from);
    (cargo, rustup)
}

/// The folders the toolchain is bound on for the grader (`cargo`, `rustup`), readable by
/// everyone: the same for every test of every checkout.
fn toolchain_mount_points() -> PathBuf {
    let mounts = std::env::temp_dir().join("asynclings-gradescope-toolchain");
    for dir in ["cargo", "rustup"] {
        std::fs::create_dir_all(mounts.join(dir)).unwrap();
    }
    chmod("755", &mounts);
    mounts
}

/// The autograder's target folder (`CARGO_TARGET_DIR`): the Gradescope tests' own, as the
/// grader's toolchain is at another path than the other tests' (see [`toolchain_mount_points`]),
/// and a build of one would rebuild every dependency of the other.
fn target() -> PathBuf {
    if is_root() {
        root().join("target/gradescope-courses")
    } else {
        common::seeded(root().join("target/ci-courses"))
    }
}

/// Held while an autograder runs: one at a time builds in the shared target folder
/// ([`target`]). Run as root, the script gives that folder to the grader (`chown -R`) before
/// it builds, and a `chown` walking the folder while another autograder's cargo writes in it
/// fails on a file that went away. On Gradescope each submission has a container of its own.
fn one_autograder_at_a_time() -> std::fs::File {
    let lock = target().with_extension("lock");
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", lock.display()));
    file.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock.display()));
    file
}

/// What the autograder wrote, and what it said.
struct Graded {
    results: serde_json::Value,
    stderr: String,
    status: Option<i32>,
}

/// A copy of the course ([`copy_workspace`]: one of the slots every test shares, brought back
/// to the course file by file) where lesson 6 is worth 1 point over its checks (exact points,
/// end to end); the test's until it drops.
fn course() -> WorkspaceCopy {
    let course = copy_workspace();
    let spec = course.path().join("specs/06_wait_n.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, format!("points = 1\n{text}")).unwrap();
    // Readable by everyone, writable by its owner only (the test's user: root in CI).
    chmod("755", course.path());
    course
}

fn chmod(mode: &str, path: &Path) {
    let status = Command::new("chmod").arg(mode).arg(path).status().unwrap();
    assert!(status.success(), "chmod {mode} {}", path.display());
}

/// The SHA-256 of a file, in hex (`sha256sum`).
fn sha256(path: &Path) -> String {
    let output = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum runs (coreutils)");
    assert!(output.status.success(), "sha256sum {}", path.display());
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .next()
        .expect("a hash")
        .to_string()
}

/// The course's checker as `setup.sh` installs it: a copy of this build's checker in a folder
/// of its own (the test's user's, readable by everyone), with its SHA-256 in `checker.sha256`.
struct Installed {
    dir: tempfile::TempDir,
    sha256: String,
}

impl Installed {
    fn new() -> Installed {
        let dir = tempfile::tempdir().unwrap();
        chmod("755", dir.path());
        let checker = dir.path().join("checker");
        std::fs::copy(env!("CARGO_BIN_EXE_checker"), &checker).unwrap();
        chmod("755", &checker);
        let sha256 = sha256(&checker);
        std::fs::write(dir.path().join("checker.sha256"), format!("{sha256}\n")).unwrap();
        Installed { dir, sha256 }
    }

    fn checker(&self) -> PathBuf {
        self.dir.path().join("checker")
    }

    /// The checker is the one installed, and nothing was added beside it.
    fn assert_unchanged(&self) {
        assert_eq!(
            sha256(&self.checker()),
            self.sha256,
            "the checker was changed"
        );
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["checker", "checker.sha256"]);
    }
}

/// Runs the autograder over the submission `make` writes into `submission/`.
fn autograde(course: &Path, make: impl FnOnce(&Path)) -> Graded {
    let installed = Installed::new();
    let graded = autograde_with(course, &installed, make);
    installed.assert_unchanged();
    graded
}

/// Runs the autograder with the checker `installed`.
fn autograde_with(course: &Path, installed: &Installed, make: impl FnOnce(&Path)) -> Graded {
    let autograder = tempfile::tempdir().unwrap();
    let submission = autograder.path().join("submission");
    std::fs::create_dir_all(&submission).unwrap();
    make(&submission);
    let script = root().join("docs/ci/gradescope/run_autograder");
    let _grader = one_autograder_at_a_time();
    let mut command;
    if is_root() {
        // The grader (`nobody`) builds in a target folder it owns, with the toolchain bound
        // where it can read it (root's home is closed to other users): at the same place for
        // every test, as the registry's sources' path is part of their artifacts' fingerprints
        // (at a new place each time, every test built the course's dependencies again). The
        // folders are only mount points, bound in each test's own mount namespace.
        let mounts = toolchain_mount_points();
        let (cargo, rustup) = toolchain();
        let mounted_cargo = mounts.join("cargo");
        let mounted_rustup = mounts.join("rustup");
        command = Command::new("unshare");
        command
            .args(["-m", "bash", "-c"])
            .arg(
                r#"set -e
mount --make-rprivate /
mount --bind "$1" "$3"
mount --bind "$2" "$4"
shift 4
exec bash "$@""#,
            )
            .arg("unshare")
            .arg(&cargo)
            .arg(&rustup)
            .arg(&mounted_cargo)
            .arg(&mounted_rustup)
            .arg(&script)
            .env("CARGO_HOME", &mounted_cargo)
            .env("RUSTUP_HOME", &mounted_rustup)
            .env("ASYNCLINGS_GRADER_USER", "nobody")
            .env("CARGO_TARGET_DIR", target());
    } else {
        command = Command::new("bash");
        command.arg(&script).env("CARGO_TARGET_DIR", target());
    }
    let output = command
        .env(common::SEED_ENV, common::SEED)
        .current_dir(autograder.path())
        .env("AUTOGRADER_ROOT", autograder.path())
        .env("ASYNCLINGS_COURSE", course)
        .env("ASYNCLINGS_CHECKER", installed.checker())
        .env(
            "ASYNCLINGS_CHECKER_SHA256",
            installed.dir.path().join("checker.sha256"),
        )
        // As on Gradescope: not the `cargo` of this test's own build.
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let text = std::fs::read_to_string(autograder.path().join("results/results.json"))
        .unwrap_or_else(|e| panic!("no results.json ({e}); stderr:\n{stderr}"));
    let results = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("results.json is not JSON ({e}):\n{text}\nstderr:\n{stderr}"));
    Graded {
        results,
        stderr,
        status: output.status.code(),
    }
}

/// Copies the reference's lesson files into `dir`, under `prefix`.
fn reference_into(dir: &Path, prefix: &str) {
    let to = dir.join(prefix);
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(root().join("solutions/src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.as_bytes()[0].is_ascii_digit() {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

fn tests(results: &serde_json::Value) -> &Vec<serde_json::Value> {
    results["tests"].as_array().expect("tests")
}

/// Lesson 6 is worth exactly 1 point, in thousandths.
fn assert_lesson_6_exact(results: &serde_json::Value) {
    let lesson_6: Vec<f64> = tests(results)
        .iter()
        .filter(|t| t["name"].as_str().unwrap().starts_with("6 wait_n:"))
        .map(|t| t["max_score"].as_f64().unwrap())
        .collect();
    assert!(lesson_6.len() >= 7, "{lesson_6:?}");
    let millis: u64 = lesson_6.iter().map(|p| (p * 1000.0).round() as u64).sum();
    assert_eq!(millis, 1000, "{lesson_6:?}");
    for p in &lesson_6 {
        assert!(*p == 0.143 || *p == 0.142, "{p}");
    }
}

fn full_marks(graded: &Graded) {
    let results = &graded.results;
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    assert_eq!(
        results["score"], results["extra_data"]["max_score"],
        "{results:#}\nstderr:\n{}",
        graded.stderr
    );
    assert!(
        tests(results).iter().all(|t| t["status"] == "passed"),
        "{results:#}"
    );
    assert_lesson_6_exact(results);
}

#[test]
fn a_github_download_zip_with_macos_debris_gets_full_marks() {
    let course = course();
    let graded = autograde(course.path(), |s| {
        reference_into(s, "asynclings-main/exercises/src");
        std::fs::create_dir_all(s.join("__MACOSX/asynclings-main/exercises/src")).unwrap();
        std::fs::write(
            s.join("__MACOSX/asynclings-main/exercises/src/._06_wait_n.rs"),
            "\0\0binary",
        )
        .unwrap();
        std::fs::write(
            s.join("asynclings-main/exercises/src/._01_say_hello.rs"),
            "\0",
        )
        .unwrap();
    });
    full_marks(&graded);
    // The submission never touches the course's specs beyond the test's own change.
    assert_eq!(
        std::fs::read_to_string(course.path().join("specs/01_say_hello.toml")).unwrap(),
        std::fs::read_to_string(root().join("specs/01_say_hello.toml")).unwrap()
    );
}

#[test]
fn a_zipped_src_folder_inside_the_upload_is_extracted_and_graded() {
    let course = course();
    let graded = autograde(course.path(), |s| {
        let staging = tempfile::tempdir().unwrap();
        reference_into(staging.path(), "src");
        let status = Command::new("python3")
            .current_dir(staging.path())
            .args(["-m", "zipfile", "-c"])
            .arg(s.join("my work.zip"))
            .arg("src")
            .status()
            .expect("python3 makes the zip (install python3)");
        assert!(status.success());
    });
    full_marks(&graded);
}

#[test]
fn loose_files_with_a_browser_duplicate_use_the_newest_and_say_so() {
    let course = course();
    let graded = autograde(course.path(), |s| {
        reference_into(s, "");
        // An older stub and, downloaded again, the finished file.
        let old = s.join("06_wait_n.rs");
        std::fs::copy(root().join("exercises/src/06_wait_n.rs"), &old).unwrap();
        let file = std::fs::File::options().write(true).open(&old).unwrap();
        file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
            .unwrap();
        std::fs::copy(
            root().join("solutions/src/06_wait_n.rs"),
            s.join("06_wait_n (1).rs"),
        )
        .unwrap();
    });
    full_marks(&graded);
    let output = graded.results["output"].as_str().unwrap();
    assert!(
        output.contains(
            "06_wait_n.rs: used 06_wait_n (1).rs (it is the newest); not used: 06_wait_n.rs"
        ),
        "{output}"
    );
}

#[test]
fn nested_folders_with_some_lessons_missing_grade_what_is_there() {
    let course = course();
    let graded = autograde(course.path(), |s| {
        let dir = s.join("hw/week 3/my files");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(
            root().join("solutions/src/01_say_hello.rs"),
            dir.join("01_say_hello.rs"),
        )
        .unwrap();
    });
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    let results = &graded.results;
    let output = results["output"].as_str().unwrap();
    assert!(output.contains("Graded 1 lesson file(s)"), "{output}");
    assert!(output.contains("Not in the submission"), "{output}");
    assert!(output.contains("13_wait_bounded.rs"), "{output}");
    for test in tests(results) {
        let name = test["name"].as_str().unwrap();
        let passed = test["status"] == "passed";
        assert_eq!(passed, name.starts_with("1 say_hello:"), "{name}");
    }
}

#[test]
fn an_upload_without_lesson_files_gets_0_points_and_a_list_of_what_was_received() {
    let course = course();
    let graded = autograde(course.path(), |s| {
        std::fs::write(s.join("homework.pdf"), "%PDF").unwrap();
        std::fs::create_dir_all(s.join("code")).unwrap();
        std::fs::write(s.join("code/main.py"), "print()").unwrap();
    });
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    let results = &graded.results;
    assert_eq!(results["score"], 0.0);
    assert!(results["extra_data"]["max_score"].as_f64().unwrap() > 0.0);
    let output = results["output"].as_str().unwrap();
    for needle in [
        "No lesson file was found",
        "homework.pdf",
        "code/main.py",
        "exercises/src/",
        "06_wait_n.rs",
    ] {
        assert!(output.contains(needle), "no {needle:?} in {output}");
    }
}

#[test]
fn a_broken_course_still_gives_a_results_json() {
    let course = course();
    std::fs::write(course.path().join("specs/99_broken.toml"), "lesson = [").unwrap();
    let graded = autograde(course.path(), |s| reference_into(s, ""));
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    assert_eq!(graded.results["score"], 0);
    let output = graded.results["output"].as_str().unwrap();
    assert!(output.contains("problem of the autograder"), "{output}");
}

#[test]
fn the_students_code_runs_unprivileged_and_cannot_touch_the_results() {
    let course = course();
    let graded = autograde(course.path(), |s| {
        reference_into(s, "");
        let results = s.parent().unwrap().join("results/results.json");
        std::fs::write(
            s.join("01_say_hello.rs"),
            format!(
                r#"use std::os::unix::fs::MetadataExt;
pub async fn say_hello() {{
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(12345);
    let wrote = std::fs::write({results:?}, "{{\"score\": 1000}}").is_ok();
    println!("Hello uid={{uid}} wrote={{wrote}}");
}}
"#
            ),
        )
        .unwrap();
    });
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    let results = &graded.results;
    assert!(results["tests"].is_array(), "{results:#}");
    assert_ne!(results["score"], 1000);
    let said: String = tests(results)
        .iter()
        .filter(|t| t["name"].as_str().unwrap().starts_with("1 say_hello:"))
        .map(|t| t["output"].as_str().unwrap().to_string())
        .collect();
    // Not root, the script cannot change users: the report still replaces whatever was written.
    if is_root() {
        assert!(said.contains("uid=65534 wrote=false"), "{said}");
    }
}

/// One entry of a zip file a test writes (`write_zip`).
enum Entry<'a> {
    /// A file with this text.
    File(&'a str, &'a str),
    /// An executable file with this text.
    Exec(&'a str, &'a str),
    /// A symbolic link to this target (as `zip --symlinks` stores it).
    Link(&'a str, &'a Path),
    /// A file of this many zero bytes (compressed, a few hundred bytes per MiB).
    Zeros(&'a str, u64),
}

mod attacks;
