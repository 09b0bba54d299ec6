//! The class's human-facing files, as a teacher and a student read them, from one student's
//! JSON report (as `grade-many` writes it): the feedback file in Markdown, and the
//! misconceptions and similarity files. Snapshots: a change of wording shows in review.

use checker::class::{StudentFile, clusters, feedback};

/// A report of `grade-many`: one lesson done, one failing with a diagnosis, one that does not
/// compile, one hidden case; the name has every character a file or a sheet could misread.
fn report() -> StudentFile {
    serde_json::from_value(serde_json::json!({
        "version": 1,
        "build_errors": [],
        "lessons": [
            {
                "number": 1, "id": "say_hello", "title": "Hello, async world", "status": "done",
                "cases": [ { "name": "prints hello", "status": "pass", "points": 2.0, "max_points": 2.0 } ]
            },
            {
                "number": 6, "id": "wait_n", "title": "Many waits at once", "status": "failing",
                "headline": "ran one after another: took 14.762 s, the sum of the 5 delays",
                "cases": [
                    { "name": "five delays", "status": "fail", "points": 0.0, "max_points": 1.0,
                      "message": "call 1 of 20: took 14.762 s on the virtual clock\nexpected 4.568 s (max(result))",
                      "diagnosis": "ran one after another: took 14.762 s, the sum of the 5 delays",
                      "observed": { "value": [1.5, 2.5] } },
                    { "name": "a hidden case", "status": "fail", "points": 0.0, "max_points": 1.0,
                      "hidden": true, "message": "hidden case: its details are not shown" },
                    { "name": "n = 0", "status": "pass", "points": 1.0, "max_points": 1.0 }
                ]
            },
            {
                "number": 7, "id": "measure_time", "status": "does_not_compile",
                "compile_errors": [ { "file": "exercises/src/07_measure_time.rs", "line": 3,
                                      "rendered": "error[E0425]: cannot find value `x`\n --> exercises/src/07_measure_time.rs:3:5" } ],
                "cases": [ { "name": "one", "status": "error", "points": 0.0, "max_points": 2.0 } ]
            }
        ],
        "class": { "student": "=Zoë, \"Ann\" <b>@x;-1", "key": "k", "notes": "used 06_wait_n.rs\nNot in the submission: 02_greet.rs" }
    }))
    .expect("a student's report")
}

#[test]
fn the_feedback_file_in_markdown() {
    insta::assert_snapshot!(feedback::markdown(&report()));
}

#[test]
fn the_misconceptions_file() {
    let mut other = report();
    other.class.student = "bob".into();
    insta::assert_snapshot!(clusters::csv(&clusters::of(&[report(), other])));
}
