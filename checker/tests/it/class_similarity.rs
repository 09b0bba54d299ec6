//! Similarity measured on a class built from the corpus and the reference: honest students
//! with the reference for every lesson and two corpus mistakes of their own (each mistake
//! is one student's), three students who hand in the reference alone, and copies of every
//! third honest student planted in, renamed, reformatted, re-commented and with their items
//! reordered. Every planted pair must rank above every honest pair; the false-positive rate
//! (honest pairs reported) is printed and bounded. It runs `checker merge --similarity` on
//! a folder of reports, as a merge of shards would.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{checker, root};
use regex::Regex;

/// Corpus mistakes a student could hand in as one lesson file: `(variant, lesson file,
/// text)`, with `solutions::` made `crate::`. Partial files re-exporting the reference are
/// left out.
fn mistakes(files: &[String]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let dir = root().join("corpus/src/mistakes");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let lessons: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("//! Lesson: "))
            .collect();
        let [lesson] = lessons[..] else { continue };
        let lesson = lesson.trim();
        if text.contains(&format!("solutions::{lesson}::")) {
            continue;
        }
        let Some(file) = files.iter().find(|f| {
            f.split_once('_')
                .is_some_and(|(_, rest)| rest == format!("{lesson}.rs"))
        }) else {
            continue;
        };
        let variant = path.file_stem().unwrap().to_string_lossy().into_owned();
        out.push((
            variant,
            file.clone(),
            text.replace("solutions::", "crate::"),
        ));
    }
    out
}

/// A copy as a student hiding it would make: the variables renamed, comments dropped and
/// others added, the layout changed (tabs, braces on their own lines), and the `use` items
/// moved after the functions.
fn disguise(text: &str) -> String {
    let declared = Regex::new(r"(?:let (?:mut )?|for |\|)([a-z][a-z0-9_]*)").unwrap();
    let mut names: Vec<String> = declared
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .filter(|n| !["mut", "in", "_"].contains(&n.as_str()))
        .collect();
    names.sort();
    names.dedup();
    let mut text = text.to_string();
    for (i, name) in names.iter().enumerate() {
        let word = Regex::new(&format!(r"\b{name}\b")).unwrap();
        text = word
            .replace_all(&text, format!("my_value_{i}").as_str())
            .into_owned();
    }
    let (uses, rest): (Vec<&str>, Vec<&str>) = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .partition(|l| l.starts_with("use "));
    let mut out = String::new();
    for (i, line) in rest.iter().enumerate() {
        let line = line.replace("    ", "\t");
        match line.strip_suffix(" {") {
            Some(head) if line.trim_start().starts_with("pub ") => {
                out.push_str(head);
                out.push_str("\n{\n");
            }
            _ => {
                out.push_str(&line);
                out.push('\n');
            }
        }
        if i % 3 == 2 {
            out.push_str("// (my own work)\n");
        }
    }
    for line in uses {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Writes a student's report and lesson files into the output folder `out`.
fn student(out: &Path, name: &str, files: &BTreeMap<String, String>) {
    let students = out.join("students");
    let sources = students.join(format!("{name}.src"));
    std::fs::create_dir_all(&sources).unwrap();
    let report = serde_json::json!({
        "version": 1,
        "lessons": [],
        "class": { "student": name, "key": "", "notes": "" },
    });
    std::fs::write(students.join(format!("{name}.json")), report.to_string()).unwrap();
    for (file, text) in files {
        std::fs::write(sources.join(file), text).unwrap();
    }
}

#[test]
fn planted_copies_rank_above_every_honest_pair() {
    let reference: BTreeMap<String, String> = std::fs::read_dir(root().join("solutions/src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(|c: char| c.is_ascii_digit())
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    let files: Vec<String> = reference.keys().cloned().collect();
    let mistakes = mistakes(&files);
    assert!(
        mistakes.len() >= 50,
        "only {} usable corpus mistakes",
        mistakes.len()
    );

    let dir = tempfile::tempdir().unwrap();
    let graded = dir.path().join("graded");
    let mut planted = Vec::new();
    // Each honest student has two mistakes of their own, in two lessons: the k-th and the
    // (k + half)-th of the corpus, which is sorted by lesson.
    let half = mistakes.len() / 2;
    let mut honest = 0;
    for k in 0..half {
        let (first, second) = (&mistakes[k], &mistakes[k + half]);
        if first.1 == second.1 {
            continue;
        }
        let mut own = reference.clone();
        own.insert(first.1.clone(), first.2.clone());
        own.insert(second.1.clone(), second.2.clone());
        let name = format!("honest-{}+{}", first.0, second.0);
        student(&graded, &name, &own);
        honest += 1;
        // Every third honest student is copied.
        if k % 3 == 0 {
            let copy = format!("copy-of-{}+{}", first.0, second.0);
            own.insert(first.1.clone(), disguise(&first.2));
            own.insert(second.1.clone(), disguise(&second.2));
            student(&graded, &copy, &own);
            planted.push((name, copy));
        }
    }
    for k in 1..=3 {
        student(&graded, &format!("reference-{k}"), &reference);
    }
    let students = honest + planted.len() + 3;

    let out = dir.path().join("out");
    let output = checker()
        .args([
            "merge".as_ref(),
            graded.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .arg("--similarity")
        .output()
        .expect("checker runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(out.join("similarity.csv")).unwrap();
    let rows = checker::class::csv::parse(&text).unwrap();
    assert_eq!(rows[0][..3], ["student_a", "student_b", "score"]);
    let scores: BTreeMap<(String, String), f64> = rows[1..]
        .iter()
        .map(|r| ((r[0].clone(), r[1].clone()), r[2].parse().unwrap()))
        .collect();
    let is_planted = |a: &str, b: &str| {
        planted
            .iter()
            .any(|(x, y)| (x == a && y == b) || (x == b && y == a))
    };
    let mut lowest_planted = f64::INFINITY;
    for (honest, copy) in &planted {
        let key = if honest < copy {
            (honest.clone(), copy.clone())
        } else {
            (copy.clone(), honest.clone())
        };
        let score = scores
            .get(&key)
            .copied()
            .unwrap_or_else(|| panic!("the planted pair {key:?} is not reported:\n{text}"));
        lowest_planted = lowest_planted.min(score);
    }
    let honest_reported: Vec<(&(String, String), &f64)> = scores
        .iter()
        .filter(|((a, b), _)| !is_planted(a, b))
        .collect();
    let highest_honest = honest_reported.iter().map(|(_, s)| **s).fold(0.0, f64::max);
    let honest_pairs = students * (students - 1) / 2 - planted.len();
    let rate = honest_reported.len() as f64 / honest_pairs as f64;
    eprintln!(
        "similarity: {students} students, {} planted pairs (lowest score {lowest_planted:.3}), {} of {honest_pairs} honest pairs reported (false-positive rate {:.2}%, highest score {highest_honest:.3}): {honest_reported:?}",
        planted.len(),
        honest_reported.len(),
        rate * 100.0
    );
    assert!(
        lowest_planted > highest_honest,
        "a planted pair ({lowest_planted}) does not rank above every honest pair ({highest_honest}):\n{text}"
    );
    assert!(rate < 0.02, "false-positive rate {rate}:\n{text}");
}
