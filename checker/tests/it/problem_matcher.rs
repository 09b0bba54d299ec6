//! The problem matchers of `.vscode/tasks.json`, applied as VS Code applies them (each pattern of
//! a matcher to consecutive lines) to real reports of the checker: a failing lesson and a lesson
//! not written yet. Each gives the Problems panel the file and line of the report's `Edit:`.

use crate::common;

use std::path::Path;

use regex::Regex;
use serde_json::Value;

/// A problem as VS Code lists it.
#[derive(Debug, PartialEq)]
struct Problem {
    severity: String,
    file: String,
    line: usize,
    message: String,
}

/// Every problem the task's matchers find in `report`.
fn problems(report: &str) -> Vec<Problem> {
    let tasks = std::fs::read_to_string(common::root().join(".vscode/tasks.json")).unwrap();
    let tasks: Value = serde_json::from_str(&tasks).expect(".vscode/tasks.json is JSON");
    let task = tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["command"]
                .as_str()
                .unwrap_or_default()
                .contains("checker")
        })
        .expect("a task runs the checker");
    let lines: Vec<&str> = report.lines().collect();
    let mut found = Vec::new();
    for matcher in task["problemMatcher"].as_array().unwrap() {
        assert_eq!(
            matcher["fileLocation"],
            serde_json::json!(["relative", "${workspaceFolder}"])
        );
        let patterns: Vec<(Regex, &Value)> = matcher["pattern"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (Regex::new(p["regexp"].as_str().unwrap()).unwrap(), p))
            .collect();
        for start in 0..lines.len() {
            let mut problem = Problem {
                severity: matcher["severity"].as_str().unwrap().to_string(),
                file: String::new(),
                line: 0,
                message: String::new(),
            };
            let all = patterns.iter().enumerate().all(|(k, (regex, pattern))| {
                let Some(captures) = lines.get(start + k).and_then(|l| regex.captures(l)) else {
                    return false;
                };
                let group = |name: &str| {
                    pattern[name]
                        .as_u64()
                        .map(|i| captures[i as usize].to_string())
                };
                if let Some(file) = group("file") {
                    problem.file = file;
                }
                if let Some(line) = group("line") {
                    problem.line = line.parse().unwrap();
                }
                if let Some(message) = group("message") {
                    problem.message = message;
                }
                true
            });
            if all {
                found.push(problem);
            }
        }
    }
    found
}

/// The human report of `lesson` in `course`, as the task's command prints it (no colors).
fn report(course: &Path, lesson: &str) -> String {
    let output = common::checker()
        .current_dir(course)
        .env("CARGO_TARGET_DIR", common::target_of(course))
        .args([lesson, "--no-timeline"])
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_task_lists_the_failing_case_and_the_lesson_to_write_at_their_edit_lines() {
    let course = common::broken_copy(
        "exercises/src/06_wait_n.rs",
        "    todo!()",
        "    let mut delays = Vec::new();\n    for _ in 0..n {\n        delays.push(wait_random(max_delay).await);\n    }\n    delays",
    );
    std::fs::copy(
        course.path().join("solutions/src/05_wait_random.rs"),
        course.path().join("exercises/src/05_wait_random.rs"),
    )
    .unwrap();
    let source = std::fs::read_to_string(course.path().join("exercises/src/06_wait_n.rs")).unwrap();
    let signature = source
        .lines()
        .position(|l| l.starts_with("pub async fn wait_n("))
        .unwrap()
        + 1;

    let failing = report(course.path(), "wait_n");
    assert!(
        failing.contains(&format!("Edit: exercises/src/06_wait_n.rs:{signature}\n")),
        "{failing}"
    );
    assert_eq!(
        problems(&failing),
        vec![Problem {
            severity: "error".into(),
            file: "exercises/src/06_wait_n.rs".into(),
            line: signature,
            message: "five delays up to 5 s, concurrent and in completion order".into(),
        }],
        "{failing}"
    );

    let pending = report(course.path(), "say_hello");
    let found = problems(&pending);
    assert_eq!(found.len(), 1, "{found:?}\n{pending}");
    assert_eq!(found[0].severity, "warning");
    assert_eq!(found[0].file, "exercises/src/01_say_hello.rs");
    assert!(
        pending.contains(&format!(
            "Edit: exercises/src/01_say_hello.rs:{}\n",
            found[0].line
        )),
        "{pending}"
    );
    assert!(
        found[0].message.starts_with("Not implemented yet"),
        "{found:?}"
    );
}
