//! `checker template OUT`: the student repository builds and grades from a fresh copy, with
//! no solutions, no corpus, no benchmarks and no hidden case; its workspace lists exactly the
//! packages it holds.

use std::process::Command;

use crate::common::{checker, lesson_count, root};

#[test]
fn the_template_grades_from_a_fresh_copy() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("asynclings");
    let output = checker().arg("template").arg(&out).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for absent in [
        "solutions",
        "corpus",
        "bench",
        "checker/tests",
        "target",
        ".ci",
    ] {
        assert!(!out.join(absent).exists(), "the template holds {absent}");
    }
    for present in [
        "README.md",
        "course.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        "exercises/src/06_wait_n.rs",
    ] {
        assert!(out.join(present).is_file(), "no {present}");
    }
    // The workspace members are exactly the packages copied.
    let manifest: toml::Table = std::fs::read_to_string(out.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let mut members: Vec<String> = manifest["workspace"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    members.sort();
    let mut packages: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    packages.sort();
    assert_eq!(members, packages);
    // No hidden case, and every public one kept.
    for entry in std::fs::read_dir(out.join("specs")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("hidden = true"), "{text}");
    }
    let public = std::fs::read_to_string(out.join("specs/13_wait_bounded.toml")).unwrap();
    assert!(!public.contains("a hundred waits"), "{public}");
    assert!(public.contains("no delays: an empty list at once"));
    // A second template into the same folder is refused.
    assert!(
        !checker()
            .arg("template")
            .arg(&out)
            .output()
            .unwrap()
            .status
            .success()
    );

    // `cargo run -p checker` in it, as a student would, with no help from this workspace.
    let output = Command::new("cargo")
        .args([
            "run",
            "-q",
            "--offline",
            "-p",
            "checker",
            "--",
            "--format",
            "json",
        ])
        .current_dir(&out)
        .env(
            "CARGO_TARGET_DIR",
            crate::common::seeded(root().join("target/ci-courses")),
        )
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {stderr}"));
    let lessons = report["lessons"].as_array().unwrap();
    assert_eq!(lessons.len(), lesson_count());
    assert!(
        lessons.iter().all(|l| l["status"] == "pending"),
        "{report:#}"
    );
}
