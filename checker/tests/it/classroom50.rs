//! `--format classroom50` against Classroom 50's published `result-v1` schema (vendored in
//! tests/schemas/, with its source), and the autograder of docs/ci/classroom50 run as written:
//! it grades with the instructor's course from its bundle, never the student's specs.

use crate::common;

use std::process::{Command, Stdio};

use crate::common::{copy_workspace, root};
use checker::report::classroom50::{Identity, render};
use checker::results::Context;
use checker::results::{CaseResult, LessonResult, Status};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        root().join("checker/tests/schemas/classroom50-result-v1.schema.json"),
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("a valid schema")
}

/// Fails with every schema error of `instance`.
fn assert_valid(instance: &serde_json::Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{instance:#}");
}

fn results(status: impl Fn(usize) -> Status) -> Vec<LessonResult> {
    let mut lessons = checker::spec::load_dirs(&[root().join("specs")]).unwrap();
    for (i, l) in lessons.iter_mut().enumerate() {
        l.number = i + 1;
    }
    lessons
        .iter()
        .map(|lesson| LessonResult {
            number: lesson.number,
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            file: lesson.file.clone(),
            hint: lesson.hint.clone(),
            cases: lesson
                .cases
                .iter()
                .enumerate()
                .map(|(i, c)| CaseResult::new(&c.name, &c.function, status(i), c.points, c.hidden))
                .collect(),
            compile_errors: Vec::new(),
        })
        .collect()
}

fn context(interrupted: bool) -> Context {
    Context {
        subject: "exercises".into(),
        clock: "virtual".into(),
        stray_compile_errors: Vec::new(),
        interrupted,
        isolated: false,
        sandbox: None,
        seed: Some(7),
    }
}

#[test]
fn the_report_satisfies_the_published_schema() {
    let runner_env = |key: &str| {
        Some(
            match key {
                "CLASSROOM" => "cs-async",
                "ASSIGNMENT" => "asynclings",
                "ASSIGNMENT_TYPE" => "group",
                "OWNER" => "alice",
                "SUBMISSION_TAG" => "submit/2026-06-01T14-32-05Z-a1b2c3d",
                "COMMIT_URL" => "https://github.com/org/repo/commit/a1b2c3d",
                "SUBMISSION_DATETIME" => "2026-06-01T14:32:01Z",
                _ => return None,
            }
            .to_string(),
        )
    };
    let identities = [
        Identity::from_lookup(runner_env, std::time::SystemTime::now()),
        Identity::from_lookup(|_| None, std::time::SystemTime::now()),
    ];
    let outcomes: [fn(usize) -> Status; 3] = [
        |_| Status::Pass,
        |i| {
            [
                Status::Pass,
                Status::Fail,
                Status::NotImplemented,
                Status::Error,
            ][i % 4]
        },
        |_| Status::NotImplemented,
    ];
    for identity in &identities {
        for outcome in outcomes {
            for interrupted in [false, true] {
                let text = render(&results(outcome), &context(interrupted), identity);
                let json: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_valid(&json);
                let tests = json["tests"].as_array().unwrap();
                let sum: u64 = tests.iter().map(|t| t["score"].as_u64().unwrap()).sum();
                assert_eq!(json["score"].as_u64(), Some(sum));
            }
        }
    }
    // The schema is not a formality: a float score, or a field of our own at the top, fail it.
    let mut json: serde_json::Value = serde_json::from_str(&render(
        &results(|_| Status::Pass),
        &context(false),
        &identities[0],
    ))
    .unwrap();
    json["score"] = serde_json::json!(0.5);
    assert!(!validator().is_valid(&json));
    json["score"] = serde_json::json!(1);
    json["interrupted"] = serde_json::json!(false);
    assert!(!validator().is_valid(&json));
}

fn run(command: &mut Command) {
    let output = command.output().expect("runs");
    assert!(
        output.status.success(),
        "{command:?}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_classroom50_autograder_grades_with_the_instructors_course() {
    // The bundle: the autograder as written, and the instructor's course as a tarball.
    let instructor = copy_workspace();
    let bundle = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("docs/ci/classroom50/autograder.py"),
        bundle.path().join("autograder.py"),
    )
    .unwrap();
    run(Command::new("tar")
        .arg("czf")
        .arg(bundle.path().join("course.tar.gz"))
        .arg("-C")
        .arg(instructor.path())
        .arg("."));

    // The student's checkout: lesson 1 done, and specs edited to give lesson 6 1000 points.
    let student = copy_workspace();
    std::fs::copy(
        root().join("solutions/src/01_say_hello.rs"),
        student.path().join("exercises/src/01_say_hello.rs"),
    )
    .unwrap();
    let spec = student.path().join("specs/06_wait_n.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, format!("points = 1000\n{text}")).unwrap();
    let git = |args: &[&str]| {
        run(Command::new("git")
            .args([
                "-c",
                "user.name=Alice",
                "-c",
                "user.email=alice@example.com",
            ])
            .args(args)
            .current_dir(student.path())
            .env("GIT_COMMITTER_DATE", "2026-06-01T16:32:01+02:00")
            .env("GIT_AUTHOR_DATE", "2026-06-01T16:32:01+02:00"));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "lesson 1"]);

    // The autograder's temporary folder, to see that it leaves nothing there.
    let tmp = tempfile::tempdir().unwrap();
    let output = Command::new("python3")
        .arg(bundle.path().join("autograder.py"))
        .env("TMPDIR", tmp.path())
        .current_dir(student.path())
        .env("CLASSROOM50_BUNDLE_DIR", bundle.path())
        .env("CLASSROOM", "cs-async")
        .env("ASSIGNMENT", "asynclings")
        .env("OWNER", "alice")
        .env("SUBMISSION_TAG", "submit/2026-06-01T14-32-05Z-a1b2c3d")
        .env(
            "COMMIT_URL",
            "https://github.com/org/cs-async-asynclings-alice/commit/a1b2c3d",
        )
        .env(
            "RELEASE_URL",
            "https://github.com/org/cs-async-asynclings-alice/releases/tag/x",
        )
        .env("ASYNCLINGS_CHECKER", env!("CARGO_BIN_EXE_checker"))
        .env(
            "CARGO_TARGET_DIR",
            common::seeded(root().join("target/ci-courses")),
        )
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env("CI", "true")
        .env(common::SEED_ENV, common::SEED)
        .stdin(Stdio::null())
        .output()
        .expect("python3 runs the autograder (install python3)");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in the temporary folder: {left:?}");
    let text = std::fs::read_to_string(student.path().join("result.json"))
        .unwrap_or_else(|e| panic!("no result.json ({e}): {stderr}"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid(&json);
    assert_eq!(json["classroom"], "cs-async");
    assert_eq!(json["owner"], "alice");
    assert_eq!(json["datetime"], "2026-06-01T14:32:01Z");
    let tests = json["tests"].as_array().unwrap();
    let lesson = |id: &'static str| tests.iter().filter(move |t| t["lesson"] == id);
    // The instructor's specs: one point per check of wait_n, not the student's 1000.
    let wait_n_max: u64 = lesson("wait_n")
        .map(|t| t["max-score"].as_u64().unwrap())
        .sum();
    assert_eq!(wait_n_max as usize, lesson("wait_n").count());
    assert!(lesson("say_hello").all(|t| t["passed"] == true), "{json:#}");
    let said_hello = lesson("say_hello").count() as u64;
    assert_eq!(json["score"].as_u64(), Some(said_hello), "{json:#}");
    assert!(
        tests
            .iter()
            .filter(|t| t["lesson"] != "say_hello")
            .all(|t| t["passed"] == false)
    );
    assert_eq!(json["max-score"].as_u64(), Some(tests.len() as u64));
}
