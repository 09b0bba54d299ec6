//! One broken lesson never hides the others: each compile mistake of `corpus/compile/` in place
//! of its lesson's file, every other lesson the reference. The lesson must be reported as not
//! compiling, with the mistake's `Expect:` phrase; every other lesson keeps its points, except
//! cases that call the broken lesson, which say they need it. And a student half-way through
//! lesson 6 keeps lessons 1 to 5 in every machine format.
//!
//! The builds share one workspace copy (a lock): after the first, each rebuilds only the
//! exercises package.

use std::path::{Path, PathBuf};

use crate::common::{WorkspaceCopy, copy_workspace, lesson_of, report_file_in, root};
use serde_json::Value;

/// A copy of the workspace whose exercises are the reference's files, the test's until it
/// drops.
fn course() -> WorkspaceCopy {
    let copy = copy_workspace();
    reset_to_reference(copy.path());
    copy
}

/// Every lesson file of the copy's exercises replaced by the reference's.
fn reset_to_reference(copy: &Path) {
    for entry in std::fs::read_dir(root().join("solutions/src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.as_bytes()[0].is_ascii_digit() {
            std::fs::copy(&path, copy.join("exercises/src").join(&name)).unwrap();
        }
    }
}

/// (lesson id, file, Expect:) of a compile mistake's header.
fn header(name: &str) -> (String, String) {
    let path = root().join("corpus/compile").join(format!("{name}.rs"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("//! {key}: ")))
            .unwrap_or_else(|| panic!("{name} has no `//! {key}:` line"))
            .trim()
            .to_string()
    };
    field("Mistake");
    (field("Lesson"), field("Expect"))
}

/// The lesson file of lesson `id` (`05_wait_random.rs`), from the specs.
fn file_of(id: &str) -> String {
    std::fs::read_dir(root().join("exercises/src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|f| {
            f.split_once('_')
                .is_some_and(|(_, rest)| rest == format!("{id}.rs"))
        })
        .unwrap_or_else(|| panic!("no file for lesson {id}"))
}

/// Grades the copy with the compile mistake `name` in place and checks the verdicts.
fn check_mistake(name: &str) {
    let (lesson, expect) = header(name);
    let copy = course();
    reset_to_reference(copy.path());
    let file = copy.path().join("exercises/src").join(file_of(&lesson));
    std::fs::copy(
        root().join("corpus/compile").join(format!("{name}.rs")),
        &file,
    )
    .unwrap();
    let (code, text) = report_file_in(copy.path(), "json", &[]);
    reset_to_reference(copy.path());
    drop(copy);
    assert_eq!(
        code,
        Some(3),
        "{name}: exit status 3 (a lesson does not compile)\n{text}"
    );
    let report: Value = serde_json::from_str(&text).unwrap();
    let broken = lesson_of(&report, &lesson);
    let errors = broken["compile_errors"].as_array().unwrap();
    assert!(
        !errors.is_empty(),
        "{name}: no compile error under {lesson}: {broken:#}"
    );
    let said: String = errors
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["explanation"].as_str().unwrap_or(""),
                e["rendered"].as_str().unwrap()
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        said.contains(&expect),
        "{name}: `{expect}` not in what {lesson} says:\n{said}"
    );
    assert!(
        !said.contains("runner_main.rs") && !said.contains("course_macros.rs"),
        "{name}: the report shows the checker's own code:\n{said}"
    );
    for case in broken["cases"].as_array().unwrap() {
        assert_eq!(case["status"], "error", "{name}: {case:#}");
    }
    let needs = format!("({lesson}), which does not compile yet");
    for other in report["lessons"].as_array().unwrap() {
        if other["id"] == lesson.as_str() {
            continue;
        }
        for case in other["cases"].as_array().unwrap() {
            let message = case["message"].as_str().unwrap_or("");
            assert!(
                case["status"] == "pass" || message.contains(&needs),
                "{name}: lesson {} lost a case it should keep: {case:#}",
                other["id"]
            );
        }
    }
}

macro_rules! compile_mistakes {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_mistake(stringify!($name));
            }
        )*

        /// Every file of `corpus/compile/` has its test above.
        #[test]
        fn every_compile_mistake_has_a_test() {
            let tested = [$(stringify!($name)),*];
            let dir: PathBuf = root().join("corpus/compile");
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "rs") {
                    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                    assert!(tested.contains(&stem.as_str()), "{stem} has no test in isolation.rs");
                }
            }
        }
    };
}

compile_mistakes! {
    async_comprehension_unpinned,
    measure_runtime_tokio_main,
    measure_time_missing_await,
    say_hello_does_not_parse,
    task_wait_n_handle_as_value,
    tasks_renamed_function,
    wait_n_half_written,
    wait_random_rand_08_names,
    wait_random_rng_across_await,
}

/// A lesson that needs a broken one says so: `wait_n` spawns `wait_random`, which keeps its
/// generator across an `.await`.
#[test]
fn a_lesson_built_on_a_broken_one_says_it_needs_it() {
    let copy = course();
    reset_to_reference(copy.path());
    std::fs::copy(
        root().join("corpus/compile/wait_random_rng_across_await.rs"),
        copy.path().join("exercises/src/05_wait_random.rs"),
    )
    .unwrap();
    let (_, text) = report_file_in(copy.path(), "json", &[]);
    reset_to_reference(copy.path());
    drop(copy);
    let report: Value = serde_json::from_str(&text).unwrap();
    let wait_n = lesson_of(&report, "wait_n");
    let messages: Vec<&str> = wait_n["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("needs lesson 5 (wait_random), which does not compile yet")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().all(|m| !m.contains("not implemented")),
        "{messages:#?}"
    );
    // The error is shown under lesson 5, where the generator is held, not under lesson 6.
    assert!(
        lesson_of(&report, "wait_n")["compile_errors"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let error = &lesson_of(&report, "wait_random")["compile_errors"][0];
    assert!(
        error["file"]
            .as_str()
            .unwrap()
            .ends_with("05_wait_random.rs"),
        "{error:#}"
    );
}

/// `name score/max status` of each entry of a report's `tests` (Gradescope, GitHub Classroom).
fn test_lines(report: &Value) -> Vec<String> {
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{} {}/{} {}",
                t["name"], t["score"], t["max_score"], t["status"]
            )
        })
        .collect()
}

/// Points per lesson in a machine report, in the report's own terms.
fn scores(format: &str, text: &str) -> Vec<String> {
    match format {
        "json" => {
            let report: Value = serde_json::from_str(text).unwrap();
            report["lessons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| format!("{} {}/{}", l["id"], l["score"], l["max_score"]))
                .collect()
        }
        "gradescope" => {
            let report: Value = serde_json::from_str(text).unwrap();
            let mut lines = test_lines(&report);
            lines.push(format!("total {}", report["score"]));
            lines
        }
        "github-classroom" => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .unwrap();
            test_lines(&serde_json::from_slice(&bytes).unwrap())
        }
        "junit" => text
            .lines()
            .map(str::trim)
            .filter(|l| {
                l.starts_with("<testsuite ")
                    || l.starts_with("<testcase ")
                    || l.starts_with("<failure")
                    || l.starts_with("<error")
            })
            .map(|l| {
                // Times vary from run to run; the rest must not.
                let mut l = l.to_string();
                while let Some(start) = l.find(" time=\"") {
                    let end = l[start + 7..].find('"').map_or(l.len(), |e| start + 8 + e);
                    l.replace_range(start..end, "");
                }
                while let Some(start) = l.find(" timestamp=\"") {
                    let end = l[start + 12..]
                        .find('"')
                        .map_or(l.len(), |e| start + 13 + e);
                    l.replace_range(start..end, "");
                }
                l.chars().take(160).collect()
            })
            .collect(),
        other => panic!("no scores for {other}"),
    }
}

/// Lessons 1 to 5 done, lesson 6 half-written: every machine format keeps the 21 points of
/// lessons 1 to 5.
#[test]
fn a_half_written_lesson_keeps_the_points_of_the_lessons_before_it() {
    let copy = course();
    reset_to_reference(copy.path());
    for entry in std::fs::read_dir(root().join("exercises/src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let number: u32 = name
            .split('_')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if number >= 6 {
            std::fs::copy(&path, copy.path().join("exercises/src").join(&name)).unwrap();
        }
    }
    std::fs::copy(
        root().join("corpus/compile/wait_n_half_written.rs"),
        copy.path().join("exercises/src/06_wait_n.rs"),
    )
    .unwrap();
    let mut snapshots = Vec::new();
    for format in ["json", "gradescope", "github-classroom", "junit"] {
        let (code, text) = report_file_in(copy.path(), format, &[]);
        assert_eq!(code, Some(3), "{format}");
        snapshots.push((format, scores(format, &text)));
    }
    let (_, json) = report_file_in(copy.path(), "json", &[]);
    reset_to_reference(copy.path());
    drop(copy);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        report["summary"]["score"], 21.0,
        "lessons 1 to 5 are worth 21 points"
    );
    for (format, lines) in snapshots {
        insta::assert_snapshot!(format!("half_written_{format}"), lines.join("\n"));
    }
}

/// What isolation costs, edit to verdict: prints the median of five runs for a build that
/// succeeds and for three kinds of broken lesson. A figure for docs/isolation.md, not a
/// check: `cargo test -p checker --test it -- --ignored --nocapture isolation::isolation_cost`.
#[test]
#[ignore = "a measurement: run it on a quiet machine and read its output"]
fn isolation_cost() {
    let copy = course();
    reset_to_reference(copy.path());
    let time_one = |lesson_file: &str, contents: &str, edit: usize| {
        let path = copy.path().join("exercises/src").join(lesson_file);
        std::fs::write(&path, format!("{contents}\n// edit {edit}\n")).unwrap();
        let started = std::time::Instant::now();
        let _ = report_file_in(copy.path(), "json", &[]);
        started.elapsed().as_secs_f64()
    };
    let median = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let reference =
        |file: &str| std::fs::read_to_string(root().join("solutions/src").join(file)).unwrap();
    let mistake = |name: &str| {
        std::fs::read_to_string(root().join("corpus/compile").join(format!("{name}.rs"))).unwrap()
    };
    let _ = report_file_in(copy.path(), "json", &[]);
    let rows = [
        (
            "a comment in lesson 6 (builds)",
            "06_wait_n.rs",
            reference("06_wait_n.rs"),
        ),
        (
            "lesson 6 half-written",
            "06_wait_n.rs",
            mistake("wait_n_half_written"),
        ),
        (
            "a ThreadRng across .await in lesson 5",
            "05_wait_random.rs",
            mistake("wait_random_rng_across_await"),
        ),
        (
            "fetch_in_background renamed in lesson 3",
            "03_tasks.rs",
            mistake("tasks_renamed_function"),
        ),
    ];
    for (what, file, contents) in rows {
        let times: Vec<f64> = (0..5).map(|edit| time_one(file, &contents, edit)).collect();
        std::fs::write(
            copy.path().join("exercises/src").join(file),
            reference(file),
        )
        .unwrap();
        println!(
            "{what}: {:.2} s edit to verdict (median of 5)",
            median(times)
        );
    }
    reset_to_reference(copy.path());
}
