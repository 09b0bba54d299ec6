//! Uploads that attack the autograder: zip entries that leave the upload or pass through a
//! link, a zip bomb, a checker changed or writable by others.

use super::*;

/// Writes a zip file with `entries`, in order, with Python's `zipfile` (deflated).
fn write_zip(path: &Path, entries: &[Entry]) {
    let list: Vec<serde_json::Value> = entries
        .iter()
        .map(|entry| match entry {
            Entry::File(name, text) => serde_json::json!([name, "file", text]),
            Entry::Exec(name, text) => serde_json::json!([name, "exec", text]),
            Entry::Link(name, target) => {
                serde_json::json!([name, "link", target.to_str().unwrap()])
            }
            Entry::Zeros(name, bytes) => serde_json::json!([name, "zeros", bytes]),
        })
        .collect();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let script = r#"
import json, stat, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, kind, value in json.loads(sys.argv[2]):
        info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
        info.create_system = 3
        info.compress_type = zipfile.ZIP_DEFLATED
        if kind == "zeros":
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            with z.open(info, "w", force_zip64=True) as f:
                for _ in range(value >> 20):
                    f.write(bytes(1 << 20))
            continue
        mode = {"file": stat.S_IFREG | 0o644, "exec": stat.S_IFREG | 0o755,
                "link": stat.S_IFLNK | 0o777}[kind]
        info.external_attr = mode << 16
        z.writestr(info, value)
"#;
    let status = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .arg(serde_json::Value::from(list).to_string())
        .status()
        .expect("python3 makes the zip (install python3)");
    assert!(status.success(), "cannot write {}", path.display());
}

/// A stand-in for the checker that writes full marks where the script reads results, and
/// ends as `checker collect` does when it finds no lesson file (the script then stops).
const FORGER: &str = r#"#!/bin/sh
printf '{"score": 95.0, "max_score": 95.0, "output": "forged"}\n' >"${AUTOGRADER_ROOT:-/autograder}/results/results.json"
exit 1
"#;

/// 0 points, for want of any lesson file: the honest grade of an upload without one.
fn no_lesson_file(graded: &Graded) {
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    let results = &graded.results;
    assert_eq!(
        results["score"], 0.0,
        "{results:#}\nstderr:\n{}",
        graded.stderr
    );
    let output = results["output"].as_str().unwrap();
    assert!(output.contains("No lesson file was found"), "{output}");
}

/// Only lesson 1 passes: the honest grade of an upload holding the reference's lesson 1.
fn only_lesson_1(graded: &Graded) {
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    let results = &graded.results;
    let score = results["score"].as_f64().unwrap();
    assert!(
        score > 0.0 && score < results["extra_data"]["max_score"].as_f64().unwrap(),
        "{results:#}"
    );
    for test in tests(results) {
        let name = test["name"].as_str().unwrap();
        let passed = test["status"] == "passed";
        assert_eq!(passed, name.starts_with("1 say_hello:"), "{name}");
    }
}

/// The course copy is still root's (or the test user's) and no one else's: never handed over.
fn assert_course_kept(course: &Path) {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata(root()).unwrap().uid();
    for dir in ["", "exercises/src", "specs", "Cargo.toml"] {
        let meta = std::fs::metadata(course.join(dir)).unwrap();
        assert_eq!(meta.uid(), uid, "{dir} changed owner");
        assert_eq!(meta.mode() & 0o022, 0, "{dir} is writable by others");
    }
    assert!(!course.join("exercises/src/forged.txt").exists());
}

#[test]
fn a_dot_dot_zip_of_links_cannot_reach_the_checker_or_the_course() {
    let course = course();
    let installed = Installed::new();
    let graded = autograde_with(course.path(), &installed, |s| {
        // `..zip` minus `.zip` is `.`: unzip put its links in the extraction folder itself,
        // where the next zips, named after them, were extracted through them. The zips were
        // taken in the order of the folder's entries, so the upload tries several folders.
        for i in 0..8 {
            let dir = s.join(format!("p{i}"));
            let (bin, course_link) = (format!("bin{i}"), format!("course{i}"));
            write_zip(
                &dir.join(format!("{bin}.zip")),
                &[Entry::Exec("checker", FORGER)],
            );
            write_zip(
                &dir.join(format!("{course_link}.zip")),
                &[Entry::File("exercises/src/forged.txt", "forged")],
            );
            write_zip(
                &dir.join("..zip"),
                &[
                    Entry::Link(&bin, installed.dir.path()),
                    Entry::Link(&course_link, course.path()),
                ],
            );
        }
    });
    no_lesson_file(&graded);
    installed.assert_unchanged();
    assert_course_kept(course.path());
    let output = graded.results["output"].as_str().unwrap();
    assert!(output.contains("links are never extracted"), "{output}");
    // Extracted in folders the script names, in the order of the upload's paths.
    assert!(
        output.contains("zip-1/ holds the files of p0/..zip."),
        "{output}"
    );
}

#[test]
fn entries_whose_paths_leave_the_zip_or_pass_through_a_link_land_nowhere_else() {
    let course = course();
    let installed = Installed::new();
    let lib = installed.dir.path().to_str().unwrap().to_string();
    let target = target();
    let up = "../".repeat(24);
    let back_up = "..\\".repeat(24);
    let (dotted, absolute, backslashed) = (
        format!("{up}{}/checker", lib.trim_start_matches('/')),
        format!("{lib}/checker"),
        format!(
            "{back_up}{}\\checker",
            lib.trim_start_matches('/').replace('/', "\\")
        ),
    );
    let graded = autograde_with(course.path(), &installed, |s| {
        std::fs::copy(
            root().join("solutions/src/01_say_hello.rs"),
            s.join("01_say_hello.rs"),
        )
        .unwrap();
        write_zip(
            &s.join("work.zip"),
            &[
                Entry::File(&dotted, FORGER),
                Entry::File(&absolute, FORGER),
                Entry::File(&backslashed, FORGER),
                // A link to the course's build folder, and a file through it.
                Entry::Link("t", &target),
                Entry::File("t/forged.txt", "forged"),
                Entry::Link("c", course.path()),
                Entry::File("c/exercises/src/forged.txt", "forged"),
            ],
        );
    });
    installed.assert_unchanged();
    assert_course_kept(course.path());
    assert!(!target.join("forged.txt").exists());
    only_lesson_1(&graded);
    let output = graded.results["output"].as_str().unwrap();
    assert!(
        output.contains("paths leaving the zip's folder"),
        "{output}"
    );
}

#[test]
fn a_zip_bomb_is_cut_short_and_what_was_left_out_is_said() {
    let course = course();
    let graded = autograde(course.path(), |s| {
        let lesson = std::fs::read_to_string(root().join("solutions/src/01_say_hello.rs")).unwrap();
        let mut entries = vec![
            Entry::File("src/01_say_hello.rs", &lesson),
            Entry::Zeros("bomb.bin", 256 << 20),
        ];
        let names: Vec<String> = (0..70).map(|i| format!("pad/{i}.bin")).collect();
        entries.extend(names.iter().map(|n| Entry::Zeros(n, 1 << 20)));
        write_zip(&s.join("bomb.zip"), &entries);
    });
    only_lesson_1(&graded);
    let output = graded.results["output"].as_str().unwrap();
    assert!(output.contains("bomb.bin"), "{output}");
    assert!(output.contains("larger than 1 MiB"), "{output}");
    assert!(output.contains("past 64 MiB"), "{output}");
}

#[test]
fn a_changed_checker_grades_nothing_and_says_so() {
    let course = course();
    let installed = Installed::new();
    std::fs::write(installed.checker(), FORGER).unwrap();
    let graded = autograde_with(course.path(), &installed, |s| reference_into(s, ""));
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    assert_eq!(graded.results["score"], 0, "{:#}", graded.results);
    let output = graded.results["output"].as_str().unwrap();
    assert!(
        output.contains("the autograder's checker was changed"),
        "{output}"
    );
}

#[test]
fn a_checker_others_can_write_is_not_trusted_as_root() {
    let course = course();
    let installed = Installed::new();
    chmod("666", &installed.dir.path().join("checker.sha256"));
    let graded = autograde_with(course.path(), &installed, |s| reference_into(s, ""));
    assert_eq!(graded.status, Some(0), "{}", graded.stderr);
    if is_root() {
        // The grader could have written both the checker and its checksum.
        assert_eq!(graded.results["score"], 0, "{:#}", graded.results);
        let output = graded.results["output"].as_str().unwrap();
        assert!(
            output.contains("the autograder's checker was changed")
                && output.contains("can be written by others than root"),
            "{output}"
        );
    } else {
        // Not root, the script grades as the one user there is: no one else to keep out.
        full_marks(&graded);
    }
}
