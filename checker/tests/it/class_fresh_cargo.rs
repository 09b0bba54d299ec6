//! The documented class flow on an instructor's machine whose cargo cache holds only what a
//! build for this machine downloads: a fresh, empty `CARGO_HOME`, filled by
//! `cargo fetch --target HOST` (the host's crates, never another platform's, as
//! `cargo build -p checker` leaves it), then `checker grade-many`. Before the workers read
//! their workspace for the host alone, this stopped at once: cargo wanted Windows's and
//! UEFI's crates (`r-efi`) offline. Needs crates.io (`cargo fetch`).

use std::path::Path;
use std::process::Command;

use crate::common::{checker, root};

fn host() -> String {
    let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-vV")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names its host")
        .trim()
        .to_string()
}

fn cargo(home: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root()).env("CARGO_HOME", home);
    command
}

#[test]
fn grade_many_works_with_only_the_hosts_crates_in_a_fresh_cargo_home() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("cargo-home");
    std::fs::create_dir_all(&home).unwrap();
    let fetched = cargo(&home)
        .args(["fetch", "--locked", "--target", &host()])
        .output()
        .expect("cargo runs");
    assert!(
        fetched.status.success(),
        "cargo fetch (it needs crates.io) failed: {}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    // The premise: this cache cannot serve every platform's crates offline.
    let everything = cargo(&home)
        .args(["metadata", "--offline", "--format-version", "1"])
        .output()
        .expect("cargo runs");
    assert!(
        !everything.status.success(),
        "the fresh cache holds every platform's crates: this test would prove nothing"
    );

    let submissions = dir.path().join("submissions");
    let reference = root().join("solutions/src");
    for student in ["alice", "Zoë, \"the\" =1"] {
        for entry in std::fs::read_dir(&reference).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with(|c: char| c.is_ascii_digit()) {
                let target = submissions.join(student).join(&name);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(&path, target).unwrap();
            }
        }
    }
    let out = dir.path().join("grades");
    let output = checker()
        .env("CARGO_HOME", &home)
        .args(["grade-many".as_ref(), submissions.as_os_str()])
        .args([
            "--out".as_ref(),
            out.as_os_str(),
            "--jobs".as_ref(),
            "1".as_ref(),
        ])
        .output()
        .expect("checker runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Graded 2 submission(s), reused 0 unchanged"),
        "{stdout}"
    );
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let rows: Vec<&str> = gradebook.lines().collect();
    assert_eq!(rows.len(), 3, "{gradebook}");
    let total = |row: &str| row.rsplit(',').next().unwrap().to_string();
    let full = total(rows[1]);
    assert_ne!(full, "0", "{gradebook}");
    assert_eq!(total(rows[2]), full, "{gradebook}");
}
