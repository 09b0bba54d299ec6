//! The ready-made pipelines in docs/ci run as written: the lines between `# asynclings: begin`
//! and `# asynclings: end` of each file, in CI-like conditions (CI=true, no terminal, no stdin).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{lesson_count, root};
use base64::Engine;

/// The commands of a pipeline file: the marked lines, without YAML indentation or list dashes.
fn commands(file: &str) -> String {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let begin = lines
        .iter()
        .position(|l| l.trim() == "# asynclings: begin")
        .expect("begin marker");
    let end = lines
        .iter()
        .position(|l| l.trim() == "# asynclings: end")
        .expect("end marker");
    lines[begin + 1..end]
        .iter()
        .map(|l| {
            let l = l.trim_start();
            l.strip_prefix("- ").unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `script` with bash as CI runners do (errexit, pipefail), without a terminal.
fn ci_bash(script: &str, dir: &Path, env: &[(&str, &Path)]) -> std::process::Output {
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("bash runs")
}

#[test]
fn the_github_classroom_workflow_produces_the_reporters_input() {
    let dir = tempfile::tempdir().unwrap();
    let github_output = dir.path().join("github_output");
    let output = ci_bash(
        &commands("docs/ci/github-classroom.yml"),
        &root(),
        &[("GITHUB_OUTPUT", &github_output)],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(&github_output).unwrap();
    let encoded = written
        .trim()
        .strip_prefix("result=")
        .expect("a `result=` output");
    let json = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    let result: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(result["version"], 1);
    // The stubs: every case fails, and the reporter needs a max score to report.
    assert_eq!(result["status"], "fail");
    assert!(result["max_score"].as_f64().unwrap() > 0.0);
}

#[test]
fn the_gitlab_job_publishes_a_junit_report() {
    let script = commands("docs/ci/gitlab-ci.yml");
    let output = ci_bash(&script, &root(), &[]);
    // The stubs fail every case, so the job fails, and the report is there all the same.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let xml = std::fs::read_to_string(root().join("target/grading/junit.xml")).unwrap();
    let report = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    assert_eq!(report.test_suites.len(), lesson_count());
}

// The Gradescope autograder is run as a whole file, for each upload layout: tests/gradescope.rs.

/// Every block of commands of a pipeline file, in order: each between `# asynclings: begin`
/// and `# asynclings: end`, without YAML indentation or list dashes.
fn blocks(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        match (line.trim(), &mut current) {
            ("# asynclings: begin", None) => current = Some(Vec::new()),
            ("# asynclings: end", Some(lines)) => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            (_, Some(lines)) => {
                let l = line.trim_start();
                lines.push(l.strip_prefix("- ").unwrap_or(l));
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn the_class_pipelines_grade_three_shards_and_merge_them() {
    let dir = tempfile::tempdir().unwrap();
    let submissions = dir.path().join("submissions");
    let alice = submissions.join("alice");
    std::fs::create_dir_all(&alice).unwrap();
    for entry in std::fs::read_dir(root().join("solutions/src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            std::fs::copy(&path, alice.join(name)).unwrap();
        }
    }
    // No lesson file: that shard's job still succeeds (exit 1 is a grade, not a failure).
    std::fs::create_dir_all(submissions.join("bob")).unwrap();
    let header_and_rows = |book: &str| book.lines().count();
    // The blocks' `--work target/grade-many-work`: its first worker starts from the tests' seed.
    crate::common::seeded(root().join("target/grade-many-work/worker-1/target"));
    for (file, index, total) in [
        ("docs/ci/github-actions-class.yml", "SHARD", "SHARDS"),
        ("docs/ci/gitlab-class.yml", "CI_NODE_INDEX", "CI_NODE_TOTAL"),
    ] {
        let _ = std::fs::remove_dir_all(root().join("target/class"));
        let blocks = blocks(file);
        assert_eq!(blocks.len(), 2, "{file}: a grading block and a merge block");
        for k in ["1", "2", "3"] {
            let output = ci_bash(
                &blocks[0],
                &root(),
                &[
                    ("SUBMISSIONS", &submissions),
                    (index, Path::new(k)),
                    (total, Path::new("3")),
                ],
            );
            assert!(
                output.status.success(),
                "{file}, shard {k}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let output = ci_bash(&blocks[1], &root(), &[]);
        assert!(
            output.status.success(),
            "{file}, merge: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let book =
            std::fs::read_to_string(root().join("target/class/grades/gradebook.csv")).unwrap();
        assert_eq!(header_and_rows(&book), 3, "{file}: {book}");
        // alice hands in the reference (every point), bob nothing (0 in every lesson).
        let lessons = checker::spec::load_specs(&[root().join("specs")]).expect("the specs");
        let full = checker::points::sum(lessons.iter().flat_map(|l| &l.cases).map(|c| c.points));
        // Text cells are quoted (docs/class.md, "Grade a class").
        let bob = format!("\"bob\",{}0\r\n", "0,".repeat(lessons.len()));
        assert!(
            book.contains("\r\n\"alice\",")
                && book.ends_with(&format!(
                    ",{}\r\n{bob}",
                    checker::text::numbers::format_number(full)
                )),
            "{file}: {book}"
        );
        assert!(root().join("target/class/grades/dashboard.html").is_file());
    }
}
