//! The checker is itself checked: every wrong implementation in `corpus/` fails its lesson,
//! with the diagnosis its header promises shown first (in the diagnosis, not merely in the
//! message), and leaves every other lesson passing.

mod common;

use common::{Entry, corpus_entries, json_report, runner};

/// What is wrong with the verdict on `entry`, if anything.
fn problems_with(entry: &Entry) -> Vec<String> {
    let path = runner("corpus");
    let (code, report) = json_report(&[
        "--runner",
        path.to_str().unwrap(),
        "--variant",
        &entry.variant,
    ]);
    let mut problems = Vec::new();
    if code != 1 {
        problems.push(format!("exit status {code}, not 1"));
    }
    for lesson in report["lessons"].as_array().unwrap() {
        let id = lesson["id"].as_str().unwrap();
        let status = lesson["status"].as_str().unwrap();
        if id != entry.lesson {
            if status != "done" {
                problems.push(format!("lesson {id} is affected too: {status}"));
            }
            continue;
        }
        if status == "done" {
            problems.push("its lesson passes".into());
            continue;
        }
        let first = lesson["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["status"] != "pass")
            .unwrap();
        // The diagnosis alone: the message says what happened, the diagnosis must name the
        // mistake, and every mistake of the corpus must have one.
        let diagnosis = first["diagnosis"].as_str().unwrap_or("");
        if !diagnosis.contains(&entry.expect) {
            problems.push(format!(
                "the first failing case's diagnosis does not say {:?}; it says: {diagnosis:?} (message: {})",
                entry.expect,
                first["message"].as_str().unwrap_or("")
            ));
        }
    }
    problems
}

fn check_all(kind: &str, at_least: usize) {
    let entries = corpus_entries(kind);
    assert!(
        entries.len() >= at_least,
        "only {} entries in corpus/src/{kind}",
        entries.len()
    );
    let failures: Vec<String> = entries
        .iter()
        .flat_map(|entry| {
            problems_with(entry)
                .into_iter()
                .map(move |p| format!("{} ({}): {p}", entry.variant, entry.lesson))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_student_mistake_is_caught_with_its_diagnosis() {
    check_all("mistakes", 25);
}

#[test]
fn every_lesson_has_mistakes_in_the_corpus() {
    let lessons: std::collections::BTreeSet<String> = corpus_entries("mistakes")
        .into_iter()
        .map(|e| e.lesson)
        .collect();
    assert_eq!(
        lessons.len(),
        common::lesson_count(),
        "lessons with mistakes: {lessons:?}"
    );
}

#[test]
fn the_corpus_without_a_variant_is_the_reference() {
    let path = runner("corpus");
    let (code, _) = json_report(&["--runner", path.to_str().unwrap()]);
    assert_eq!(code, 0);
}
