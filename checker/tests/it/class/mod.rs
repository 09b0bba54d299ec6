//! `checker grade-many` and `checker merge` on a small class: the reference, a corpus mistake,
//! a lesson file that does not compile, a "Download ZIP" upload with macOS debris and a
//! browser's `(1)` duplicate, and an empty folder. The gradebook has exact values, a second
//! run grades nothing again, three shards merged give the single run's gradebook byte for
//! byte, and the dashboard renders in headless Chromium.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{checker, chromium, root};

/// The workers' workspaces, kept between test runs so that the dependencies are built once
/// (the first worker's target directory starts as the tests' seed: `grade-many` copies it to
/// the others).
fn work_dir() -> PathBuf {
    let work = root().join("target/class-test-work");
    common::seeded(work.join("worker-1/target"));
    work
}

/// The course's lesson files (`01_say_hello.rs`, ...).
fn lesson_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("solutions/src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    files.sort();
    files
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn reference(file: &str) -> String {
    std::fs::read_to_string(root().join("solutions/src").join(file)).unwrap()
}

/// A corpus mistake as a student would hand it in: named as the lesson file its
/// `//! Lesson:` header declares, using its own crate instead of the reference's.
fn mistake(variant: &str) -> (String, String) {
    let text = std::fs::read_to_string(
        root()
            .join("corpus/src/mistakes")
            .join(format!("{variant}.rs")),
    )
    .unwrap();
    let lesson = text
        .lines()
        .find_map(|l| l.strip_prefix("//! Lesson: "))
        .expect("a Lesson header")
        .trim()
        .to_string();
    let file = lesson_files()
        .into_iter()
        .find(|f| {
            f.split_once('_')
                .is_some_and(|(_, rest)| rest == format!("{lesson}.rs"))
        })
        .expect("the lesson's file");
    (file, text.replace("solutions::", "crate::"))
}

/// The class: five students, one folder each.
fn class(dir: &Path) {
    for file in lesson_files() {
        write(&dir.join("alice").join(&file), &reference(&file));
        write(&dir.join("bob/src").join(&file), &reference(&file));
        write(&dir.join("carol").join(&file), &reference(&file));
    }
    let (file, text) = mistake("wait_n_sequential");
    write(&dir.join("bob/src").join(file), &text);
    write(
        &dir.join("carol/01_say_hello.rs"),
        &format!("{}\npub fn unfinished( {{\n", reference("01_say_hello.rs")),
    );
    // GitHub's "Download ZIP", unzipped on a Mac, with an older file and its newer copy.
    let zip = dir.join("dave/asynclings-main");
    for file in lesson_files() {
        write(&zip.join("exercises/src").join(&file), &reference(&file));
    }
    let stub = std::fs::read_to_string(root().join("exercises/src/06_wait_n.rs")).unwrap();
    let old = zip.join("exercises/src/06_wait_n.rs");
    write(&old, &stub);
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    write(
        &zip.join("exercises/src/06_wait_n (1).rs"),
        &reference("06_wait_n.rs"),
    );
    write(&zip.join("README.md"), "# asynclings\n");
    write(
        &dir.join("dave/__MACOSX/asynclings-main/exercises/src/._06_wait_n.rs"),
        "\0\u{5}\u{16}\u{7}",
    );
    std::fs::create_dir_all(dir.join("erin")).unwrap();
    // A name with a comma, quotes, non-ASCII letters and formula starts, also after `;`.
    for file in lesson_files() {
        write(&dir.join(NASTY).join(&file), &reference(&file));
    }
}

/// A student's folder name that a spreadsheet could misread in every way.
const NASTY: &str = "=Zoë, \"Ann\" @x;-1+1";

/// The roster of the class: every folder with its LMS identifiers.
fn roster(path: &Path) {
    let rows = [
        "folder,name,email,sis_id,sis_login,section",
        "alice,\"Liddell, Alice\",alice@school.edu,S001,alice,A",
        "bob,Bob,bob@school.edu,S002,bob,A",
        "carol,Carol,carol@school.edu,S003,carol,B",
        "dave,Dave,dave@school.edu,S004,dave,B",
        "erin,Erin,erin@school.edu,S005,erin,B",
        "\"=Zoë, \"\"Ann\"\" @x;-1+1\",\"=Zoë, \"\"Ann\"\" @x;-1+1\",zoe@school.edu,S006,zoe,\"@B;=C\"",
    ];
    write(path, &(rows.join("\n") + "\n"));
}

/// The `.json` reports of an output folder (not the lesson files kept beside them).
fn reports(out: &Path) -> usize {
    std::fs::read_dir(out.join("students"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count()
}

/// Runs `checker ARGS`; returns (exit status, stdout, stderr).
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let output = checker().args(args).output().expect("checker runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// One grading run at a time uses the work folder (tests run in parallel).
static WORK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn grade_many(submissions: &Path, out: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let _one_at_a_time = WORK.lock().unwrap_or_else(|e| e.into_inner());
    let work = work_dir();
    let mut args = vec![
        "grade-many".as_ref(),
        submissions.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--work".as_ref(),
        work.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run(&args)
}

fn student(out: &Path, name: &str) -> serde_json::Value {
    let path = out.join("students").join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The course's lessons with their points, from its specs: (id, points).
fn course_points() -> Vec<(String, f64)> {
    let lessons = checker::spec::load_specs(&[root().join("specs")]).expect("the course's specs");
    lessons
        .iter()
        .map(|l| {
            (
                l.id.clone(),
                checker::points::sum(l.cases.iter().map(|c| c.points)),
            )
        })
        .collect()
}

/// The gradebook's header: `student`, every lesson id, `total`.
fn header() -> String {
    let ids: Vec<String> = course_points()
        .into_iter()
        .map(|(id, _)| format!("\"{id}\""))
        .collect();
    format!("\"student\",{},\"total\"\r\n", ids.join(","))
}

/// A gradebook row: full marks in every lesson but those in `except` (lesson id, points).
fn row(student: &str, except: &[(&str, f64)]) -> String {
    let points: Vec<f64> = course_points()
        .into_iter()
        .map(|(id, full)| {
            except
                .iter()
                .find(|(l, _)| *l == id)
                .map_or(full, |(_, p)| *p)
        })
        .collect();
    let total = checker::points::sum(points.iter().copied());
    let cells: Vec<String> = points
        .iter()
        .chain([&total])
        .map(|&p| checker::text::numbers::format_number(p))
        .collect();
    format!(
        "{},{}\r\n",
        checker::class::csv::text(student),
        cells.join(",")
    )
}

/// A gradebook row of 0 points everywhere.
fn zero_row(student: &str) -> String {
    let zeros: Vec<(String, f64)> = course_points()
        .into_iter()
        .map(|(id, _)| (id, 0.0))
        .collect();
    let except: Vec<(&str, f64)> = zeros.iter().map(|(id, p)| (id.as_str(), *p)).collect();
    row(student, &except)
}

#[test]
fn a_missing_or_empty_class_folder_is_a_clear_error_and_the_dashboard_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let missing = dir.path().join("no-such-class");
    let (code, _, stderr) = grade_many(&missing, &out, &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no-such-class does not exist"), "{stderr}");
    assert!(stderr.contains("one folder per student"), "{stderr}");
    let dashboard = std::fs::read_to_string(out.join("dashboard.html")).unwrap();
    assert!(dashboard.contains("Nothing was graded"), "{dashboard}");
    assert_eq!(
        std::fs::read_to_string(out.join("gradebook.csv")).unwrap(),
        "\"student\",\"total\"\r\n"
    );

    let empty = dir.path().join("empty");
    std::fs::create_dir_all(empty.join("__MACOSX")).unwrap();
    let (code, _, stderr) = grade_many(&empty, &out, &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("holds no student folder"), "{stderr}");
}

/// A run on bad input keeps what an earlier run graded: its reports and their gradebook stay
/// (an LMS imports the gradebook), and the dashboard says what was wrong over them.
#[test]
fn a_run_on_bad_input_keeps_the_grades_of_the_run_before() {
    let dir = tempfile::tempdir().unwrap();
    // Students with no lesson file: graded without a build.
    write(&dir.path().join("class/alice/notes.txt"), "nothing here");
    write(&dir.path().join("class/bob/notes.txt"), "nothing either");
    let out = dir.path().join("out");
    let (code, _, stderr) = grade_many(&dir.path().join("class"), &out, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    // One report broken since: the others are kept all the same.
    std::fs::write(out.join("students/bob.json"), "not a report").unwrap();
    let graded = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert!(graded.contains("\"alice\""), "{graded}");
    let graded: String = graded
        .lines()
        .filter(|l| !l.contains("\"bob\""))
        .map(|l| format!("{l}\r\n"))
        .collect();

    let (code, _, stderr) = grade_many(&dir.path().join("no-such-class"), &out, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("gradebook.csv")).unwrap(),
        graded,
        "the gradebook of the run before is kept"
    );
    assert!(out.join("students/alice.json").is_file());
    let dashboard = std::fs::read_to_string(out.join("dashboard.html")).unwrap();
    assert!(dashboard.contains("Nothing was graded"), "{dashboard}");
    assert!(dashboard.contains("alice"), "{dashboard}");
}

/// A gradebook that cannot be written (its path is taken by a folder) ends `grade-many` and
/// `merge` with the documented status 4, naming the file, after a run that graded: the
/// status comes from the error's kind, not from where the command met it.
#[test]
fn a_gradebook_that_cannot_be_written_exits_with_the_io_status() {
    let dir = tempfile::tempdir().unwrap();
    // A student with no lesson file: graded without a build.
    write(&dir.path().join("class/alice/notes.txt"), "nothing here");
    let blocked = |out: &Path| {
        write(
            &out.join("gradebook.csv/keep"),
            "a folder where the gradebook goes",
        );
    };
    let out = dir.path().join("out");
    blocked(&out);
    let work = dir.path().join("work");
    let (code, stdout, stderr) = run(&[
        "grade-many".as_ref(),
        dir.path().join("class").as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--work".as_ref(),
        work.as_os_str(),
    ]);
    assert_eq!(code, Some(4), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(stderr.contains("gradebook.csv"), "{stderr}");
    // Nor the gradebook nor the dashboard was written: the run does not say it wrote them.
    assert!(!stdout.contains("wrote"), "{stdout}");
    assert!(
        out.join("students/alice.json").is_file(),
        "the student's report is written before the gradebook"
    );

    let merged = dir.path().join("merged");
    blocked(&merged);
    let (code, _, stderr) = run(&[
        "merge".as_ref(),
        out.as_os_str(),
        "--out".as_ref(),
        merged.as_os_str(),
    ]);
    assert_eq!(code, Some(4), "{stderr}");
    assert!(stderr.contains("gradebook.csv"), "{stderr}");

    let free = dir.path().join("free");
    let (code, _, stderr) = run(&[
        "merge".as_ref(),
        out.as_os_str(),
        "--out".as_ref(),
        free.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "the same merge where it can write: {stderr}");
}

/// A dashboard that cannot be written after bad input does not hide the bad input: the
/// status is still 2, and both failures are said.
#[test]
fn bad_input_keeps_its_status_when_the_dashboard_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    write(
        &out.join("gradebook.csv/keep"),
        "a folder where the gradebook goes",
    );
    let (code, _, stderr) = grade_many(&dir.path().join("no-such-class"), &out, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no-such-class does not exist"), "{stderr}");
    assert!(stderr.contains("gradebook.csv"), "{stderr}");
}

/// The first worker's grading of the course's own stubs that ends with a documented status
/// ends the batch with it, not with 3 ("cargo cannot run") nor graded on: here 2, from a seed
/// in the environment the grading runs refuse (`grade-many` itself reads none).
#[test]
fn the_first_workers_usage_failure_ends_grade_many_with_2() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("class/alice/01_say_hello.rs"),
        &reference("01_say_hello.rs"),
    );
    let out = dir.path().join("out");
    // A work folder of its own: its first worker has no build yet, so the stubs are graded.
    let output = checker()
        .env("ASYNCLINGS_SEED", "not-a-seed")
        .args(["grade-many".as_ref(), dir.path().join("class").as_os_str()])
        .args(["--out".as_ref(), out.as_os_str()])
        .args(["--work".as_ref(), dir.path().join("work").as_os_str()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the course's own stubs could not be graded"),
        "{stderr}"
    );
    assert!(stderr.contains("not-a-seed"), "{stderr}");
}

/// A report that cannot be written ends `grade-many` with 4: the report read back for the
/// gradebook would be an earlier run's.
#[test]
fn a_student_report_that_cannot_be_written_exits_4_not_with_the_earlier_report() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("class/alice/01_say_hello.rs"),
        &reference("01_say_hello.rs"),
    );
    let out = dir.path().join("out");
    let earlier = serde_json::json!({
        "version": checker::report::json::SCHEMA_VERSION,
        "build_errors": [],
        "summary": { "passed": 0, "failed": 0, "score": 0.0, "max_score": 0.0 },
        "lessons": [],
        "class": { "student": "alice", "key": "an earlier run's", "notes": "" },
    });
    write(&out.join("students/alice.json"), &earlier.to_string());
    // The report is written to `alice.json.partial`, then renamed: a folder is in the way.
    std::fs::create_dir_all(out.join("students/alice.json.partial")).unwrap();
    let (code, stdout, stderr) = grade_many(&dir.path().join("class"), &out, &[]);
    assert_eq!(code, Some(4), "{stdout}{stderr}");
    assert!(stderr.contains("alice.json.partial"), "{stderr}");
    assert!(!stdout.contains("Graded"), "{stdout}");
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0/3", "4/3", "three"] {
        let (code, _, stderr) = grade_many(dir.path(), &dir.path().join("out"), &["--shard", bad]);
        assert_eq!(code, Some(2), "{bad}");
        assert!(stderr.contains("1 <= K <= N"), "{bad}: {stderr}");
    }
}

#[test]
fn clusters_group_the_corpus_mistakes_of_a_class_by_mechanism() {
    // Six students of lesson 6 (wait_n): three await each wait in turn, two reverse the
    // delays, one has the reference; every other lesson is the stub. Their diagnoses differ in the delays drawn.
    let dir = tempfile::tempdir().unwrap();
    let submissions = dir.path().join("submissions");
    let cases = [
        ("ann", "wait_n_sequential"),
        ("ben", "wait_n_sequential"),
        ("cem", "wait_n_sequential"),
        ("dot", "wait_n_reverse"),
        ("eli", "wait_n_reverse"),
    ];
    for (student, variant) in cases {
        let (file, text) = mistake(variant);
        write(
            &submissions.join(student).join(file),
            &format!("{text}\n// {student}\n"),
        );
    }
    write(
        &submissions.join("fay/06_wait_n.rs"),
        &reference("06_wait_n.rs"),
    );
    // wait_n builds on lesson 5's wait_random: everyone hands that in done.
    for student in ["ann", "ben", "cem", "dot", "eli", "fay"] {
        write(
            &submissions.join(student).join("05_wait_random.rs"),
            &reference("05_wait_random.rs"),
        );
    }
    let out = dir.path().join("out");
    let (code, stdout, stderr) = grade_many(&submissions, &out, &[]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let text = std::fs::read_to_string(out.join("clusters.csv")).unwrap();
    let rows = checker::class::csv::parse(&text).unwrap();
    let wait_n: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .filter(|r| r[0] == "06 wait_n")
        .map(|r| (r[2].as_str(), r[3].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        wait_n,
        [("yes", "3", "ann; ben; cem"), ("yes", "2", "dot; eli"),],
        "{text}"
    );
    let mechanisms: Vec<&str> = rows[1..]
        .iter()
        .filter(|r| r[0] == "06 wait_n")
        .map(|r| r[1].as_str())
        .collect();
    assert!(mechanisms[0].starts_with("ran one after another"), "{text}");
    assert!(mechanisms[1].contains("longest first"), "{text}");
    let dashboard = std::fs::read_to_string(out.join("dashboard.html")).unwrap();
    assert!(
        dashboard.contains("<td class=\"num\">3</td><td>ran one after another"),
        "{dashboard}"
    );
}

#[test]
fn a_student_who_forges_through_the_loader_earns_nothing_for_it_in_grade_many() {
    // Issue 22's attack through the class flow, with the course's specs given as an
    // instructor gives them (hidden cases included): the forging lessons are refused by line,
    // the honest classmate graded beside them is not touched.
    let dir = tempfile::tempdir().unwrap();
    let submissions = dir.path().join("submissions");
    write(
        &submissions.join("mallory/05_wait_random.rs"),
        include_str!("../../fixtures/forged/05_wait_random.rs"),
    );
    write(
        &submissions.join("mallory/06_wait_n.rs"),
        include_str!("../../fixtures/forged/06_wait_n.rs"),
    );
    for file in ["05_wait_random.rs", "06_wait_n.rs"] {
        write(&submissions.join("trent").join(file), &reference(file));
    }
    let out = dir.path().join("out");
    let specs = common::root().join("specs");
    let (code, stdout, stderr) =
        grade_many(&submissions, &out, &["--specs", specs.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let mallory = student(&out, "mallory");
    for (id, line) in [("wait_random", 8), ("wait_n", 4)] {
        let lesson = common::lesson_of(&mallory, id);
        assert_eq!(lesson["status"], "does_not_compile", "{lesson:#}");
        assert_eq!(lesson["score"], 0.0, "{lesson:#}");
        assert_eq!(lesson["compile_errors"][0]["line"], line, "{lesson:#}");
    }
    let trent = student(&out, "trent");
    for id in ["wait_random", "wait_n"] {
        assert_eq!(common::lesson_of(&trent, id)["status"], "done", "{trent:#}");
    }
}

mod lifecycle;
