//! Similarity (`grade-many --similarity`): pairs of students whose lesson files are alike
//! beyond what the lesson forces, with the evidence.
//!
//! **Code.** Each lesson file a student handed in (kept in `students/NAME.src/`, so that a
//! merge of shards reads the same) becomes its normalised token stream
//! ([`super::tokens`]: comments and layout gone, the student's own names made alike). Its
//! k-grams of [`K`] tokens are hashed and winnowed (Schleimer, Wilkerson and Aiken, "Winnowing:
//! local algorithms for document fingerprinting", SIGMOD 2003, the algorithm of MOSS): in each
//! window of [`W`] consecutive hashes the smallest is kept, so that any match of at least
//! `K + W - 1` tokens is found. Fingerprints of the course's own code (every k-gram of the
//! stub and of the reference of every lesson) are dropped, and so are those that more than
//! [`common_limit`] students share (what the class writes anyway). A pair's code score is the
//! fingerprints they share over all the fingerprints either of them has (their union, file
//! by file, a file counting at least [`MIN_DENOMINATOR`]): 1 for two students whose own
//! code is the same, lower when each also wrote code of their own.
//!
//! **Behaviour.** A case whose returned values differ from student to student (the lesson
//! draws random delays: at least [`RANDOM_SHARE`] of the values are distinct) cannot return
//! the same value twice by chance; two students who do share a value there share a
//! hard-coded result. Trivial values (null, 0, empty) tell no one apart and are left out. Each such case adds
//! [`BEHAVIOUR_WEIGHT`] to the pair's score.
//!
//! A pair is reported when its score reaches [`THRESHOLD`]; pairs are ranked by score.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::csv::Table;
use super::tokens::{Token, tokens};
use super::{Fnv, StudentFile};

/// Tokens per k-gram.
pub const K: usize = 12;
/// Hashes per winnowing window.
pub const W: usize = 4;
/// The fewest fingerprints a file counts for in a score's denominator: a file of few
/// fingerprints cannot score high alone.
pub const MIN_DENOMINATOR: usize = 8;
/// Share of distinct values that makes a case's values random.
pub const RANDOM_SHARE: f64 = 0.8;
/// What each case of identical random values adds to a pair's score: one alone does not
/// reach [`THRESHOLD`] (two students may share a deterministic mistake in one case), two do.
pub const BEHAVIOUR_WEIGHT: f64 = 0.25;
/// The score from which a pair is reported.
pub const THRESHOLD: f64 = 0.3;
/// The similarity file's name in an output folder.
pub const FILE: &str = "similarity.csv";
/// Suffix of a student's folder of lesson files beside their report (`students/NAME.src`).
pub const SOURCES_SUFFIX: &str = ".src";

/// Fingerprints shared by more than this many of `students` students are dropped.
pub fn common_limit(students: usize) -> usize {
    (students / 5).max(5)
}

/// A lesson file's fingerprints: hash to the token positions of its k-grams.
#[derive(Debug, Clone, Default)]
struct Print {
    tokens: Vec<Token>,
    hashes: BTreeMap<u64, Vec<usize>>,
}

fn kgram_hashes(tokens: &[Token]) -> Vec<u64> {
    tokens
        .windows(K)
        .map(|gram| {
            let mut hash = Fnv::default();
            for token in gram {
                hash.field(token.text.as_bytes());
            }
            hash.finish()
        })
        .collect()
}

/// The winnowed fingerprints of `source`.
fn print(source: &str) -> Print {
    let tokens = tokens(source);
    let hashes = kgram_hashes(&tokens);
    let mut chosen: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    let mut add = |position: usize, hash: u64| {
        let list = chosen.entry(hash).or_default();
        if !list.contains(&position) {
            list.push(position);
        }
    };
    if hashes.len() < W {
        for (position, &hash) in hashes.iter().enumerate() {
            add(position, hash);
        }
    }
    for (start, window) in hashes.windows(W).enumerate() {
        // The rightmost smallest, as the paper's robust winnowing.
        let (offset, &hash) = window
            .iter()
            .enumerate()
            .rev()
            .min_by_key(|(_, h)| **h)
            .unwrap_or((0, &0));
        add(start + offset, hash);
    }
    Print {
        tokens,
        hashes: chosen,
    }
}

/// Matching code in one lesson: the lines of each student's file that match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The lesson file (`06_wait_n.rs`).
    pub file: String,
    /// Fingerprints shared.
    pub shared: usize,
    /// Line ranges (from 1, inclusive) of the first student's file.
    pub lines_a: Vec<(usize, usize)>,
    /// Line ranges of the second student's file.
    pub lines_b: Vec<(usize, usize)>,
}

/// Two students alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The first student (by name).
    pub a: String,
    /// The second student.
    pub b: String,
    /// Code score plus behaviour score.
    pub score: f64,
    /// The code score.
    pub code: f64,
    /// Cases of random values where both returned the same value: `lesson id: case`.
    pub same_values: Vec<String>,
    /// Matching code per lesson file.
    pub regions: Vec<Region>,
}

impl Pair {
    /// The lessons concerned: files with matching code and lessons with the same values.
    pub fn lessons(&self) -> Vec<String> {
        let mut lessons: BTreeSet<String> = self.regions.iter().map(|r| r.file.clone()).collect();
        for value in &self.same_values {
            lessons.insert(value.split(':').next().unwrap_or_default().to_string());
        }
        lessons.into_iter().collect()
    }
}

/// One student's lesson files, as kept beside their report: `(file name, text)`.
pub type Sources = Vec<(String, String)>;

/// Reads the lesson files kept for `student` in the output folder `out` (none: an empty list).
pub fn read_sources(out: &Path, student: &str) -> Sources {
    let dir = sources_dir(out, student);
    let mut files: Sources = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read(e.path()).ok()?;
            Some((name, String::from_utf8_lossy(&text).into_owned()))
        })
        .collect();
    files.sort();
    files
}

/// The folder of `student`'s lesson files in the output folder `out`.
pub fn sources_dir(out: &Path, student: &str) -> std::path::PathBuf {
    let mut name = std::ffi::OsString::from(student);
    name.push(SOURCES_SUFFIX);
    out.join(super::STUDENTS_DIR).join(name)
}

/// The course's own code: every lesson file of `exercises/src` (stubs) and `solutions/src`
/// (reference) under `root`, those that exist.
pub fn course_code(root: &Path) -> Vec<String> {
    ["exercises/src", "solutions/src"]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect()
}

/// Whether a returned value is too plain to tell anyone apart.
fn trivial(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null | serde_json::Value::Bool(_) => true,
        serde_json::Value::Number(n) => n.as_f64() == Some(0.0),
        serde_json::Value::String(s) => s.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Object(o) => o.is_empty(),
    }
}

/// The pairs of `students` (reports with their kept lesson files) alike from
/// [`THRESHOLD`], most alike first; `course` is the course's own code.
pub fn pairs(students: &[(StudentFile, Sources)], course: &[String]) -> Vec<Pair> {
    let baseline: BTreeSet<u64> = course
        .iter()
        .flat_map(|text| kgram_hashes(&tokens(text)))
        .collect();
    // Per student, per file: the fingerprints left.
    let prints: Vec<BTreeMap<String, Print>> = students
        .iter()
        .map(|(_, sources)| {
            sources
                .iter()
                .map(|(file, text)| {
                    let mut p = print(text);
                    p.hashes.retain(|h, _| !baseline.contains(h));
                    (file.clone(), p)
                })
                .collect()
        })
        .collect();
    // Who has each (file, hash).
    let mut owners: HashMap<(&str, u64), Vec<usize>> = HashMap::new();
    for (s, files) in prints.iter().enumerate() {
        for (file, p) in files {
            for &hash in p.hashes.keys() {
                owners.entry((file.as_str(), hash)).or_default().push(s);
            }
        }
    }
    let limit = common_limit(students.len());
    owners.retain(|_, who| who.len() <= limit);
    let counts: Vec<BTreeMap<&str, usize>> = prints
        .iter()
        .map(|files| {
            files
                .iter()
                .map(|(file, p)| {
                    let kept = p
                        .hashes
                        .keys()
                        .filter(|h| owners.contains_key(&(file.as_str(), **h)))
                        .count();
                    (file.as_str(), kept)
                })
                .collect()
        })
        .collect();
    // Shared fingerprints per pair and file.
    let mut shared: BTreeMap<(usize, usize), BTreeMap<&str, Vec<u64>>> = BTreeMap::new();
    for ((file, hash), who) in &owners {
        for (i, &a) in who.iter().enumerate() {
            for &b in &who[i + 1..] {
                let key = (a.min(b), a.max(b));
                shared
                    .entry(key)
                    .or_default()
                    .entry(file)
                    .or_default()
                    .push(*hash);
            }
        }
    }
    let values = same_random_values(students);
    let mut keys: BTreeSet<(usize, usize)> = shared.keys().copied().collect();
    keys.extend(values.keys().copied());
    let mut out = Vec::new();
    for (a, b) in keys {
        let files = shared.get(&(a, b)).cloned().unwrap_or_default();
        // Shared over all the fingerprints either has, file by file (a file of few
        // fingerprints counts as MIN_DENOMINATOR): a pair alike in one lesson of their
        // own and different in others scores low.
        let mut room = 0;
        let all: BTreeSet<&str> = counts[a].keys().chain(counts[b].keys()).copied().collect();
        for file in all {
            let together = counts[a].get(file).copied().unwrap_or(0)
                + counts[b].get(file).copied().unwrap_or(0)
                - files.get(file).map_or(0, Vec::len);
            if together > 0 {
                room += together.max(MIN_DENOMINATOR);
            }
        }
        let got: usize = files.values().map(Vec::len).sum();
        let mut regions = Vec::new();
        for (file, hashes) in &files {
            let lines = |s: usize| {
                let p = &prints[s][*file];
                let mut covered = BTreeSet::new();
                for hash in hashes {
                    for &at in p.hashes.get(hash).into_iter().flatten() {
                        let end = (at + K - 1).min(p.tokens.len() - 1);
                        covered.extend(p.tokens[at].line..=p.tokens[end].line);
                    }
                }
                ranges(&covered)
            };
            regions.push(Region {
                file: file.to_string(),
                shared: hashes.len(),
                lines_a: lines(a),
                lines_b: lines(b),
            });
        }
        let code = if room == 0 {
            0.0
        } else {
            got as f64 / room as f64
        };
        let same = values.get(&(a, b)).cloned().unwrap_or_default();
        let score = code + BEHAVIOUR_WEIGHT * same.len() as f64;
        if score >= THRESHOLD {
            regions.sort_by(|x, y| y.shared.cmp(&x.shared).then(x.file.cmp(&y.file)));
            out.push(Pair {
                a: students[a].0.class.student.clone(),
                b: students[b].0.class.student.clone(),
                score,
                code,
                same_values: same,
                regions,
            });
        }
    }
    out.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    out
}

/// Sorted lines as inclusive ranges.
fn ranges(lines: &BTreeSet<usize>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &line in lines {
        match out.last_mut() {
            Some(last) if last.1 + 1 == line => last.1 = line,
            _ => out.push((line, line)),
        }
    }
    out
}

/// Pairs of students (indices) with the random cases where they returned the same value.
fn same_random_values(
    students: &[(StudentFile, Sources)],
) -> BTreeMap<(usize, usize), Vec<String>> {
    let mut cases: BTreeMap<(String, String), BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for (s, (student, _)) in students.iter().enumerate() {
        for lesson in &student.lessons {
            for case in &lesson.cases {
                let Some(value) = case.observed.as_ref().map(|o| &o.value) else {
                    continue;
                };
                if trivial(value) {
                    continue;
                }
                let key = (lesson.id.clone(), case.name.clone());
                cases
                    .entry(key)
                    .or_default()
                    .entry(value.to_string())
                    .or_default()
                    .push(s);
            }
        }
    }
    let mut out: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    for ((lesson, case), by_value) in cases {
        let total: usize = by_value.values().map(Vec::len).sum();
        if total < 3 || (by_value.len() as f64) < RANDOM_SHARE * total as f64 {
            continue;
        }
        for who in by_value.into_values() {
            if who.len() < 2 {
                continue;
            }
            for (i, &a) in who.iter().enumerate() {
                for &b in &who[i + 1..] {
                    out.entry((a.min(b), a.max(b)))
                        .or_default()
                        .push(format!("{lesson}: {case}"));
                }
            }
        }
    }
    out
}

/// `similarity.csv`: `student_a`, `student_b`, `score`, `code_score`, `same_random_values`,
/// `lessons` (`; ` between them), `matching_lines` (`FILE a:L1-L2 b:L3-L4`, `; ` between).
pub fn csv(pairs: &[Pair]) -> String {
    let mut table = Table::new();
    table.text_row(&[
        "student_a",
        "student_b",
        "score",
        "code_score",
        "same_random_values",
        "lessons",
        "matching_lines",
    ]);
    for pair in pairs {
        let lines: Vec<String> = pair
            .regions
            .iter()
            .map(|r| format!("{} a:{} b:{}", r.file, show(&r.lines_a), show(&r.lines_b)))
            .collect();
        table
            .text(&pair.a)
            .text(&pair.b)
            .number(&format!("{:.3}", pair.score))
            .number(&format!("{:.3}", pair.code))
            .text(&pair.same_values.join("; "))
            .text(&pair.lessons().join("; "))
            .text(&lines.join("; "))
            .end_row();
    }
    table.finish()
}

/// Line ranges as `3-7,12`.
pub fn show(ranges: &[(usize, usize)]) -> String {
    ranges
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{CaseView, ClassInfo, LessonView, ObservedView};

    const STUB: &str =
        "pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {\n    todo!()\n}\n";
    const MINE: &str = "pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {\n    let mut set = tokio::task::JoinSet::new();\n    for i in 0..n {\n        if i % 2 == 0 { set.spawn(crate::wait_random(max_delay)); }\n        else { set.spawn(crate::wait_random(max_delay / 2)); }\n    }\n    let mut out = Vec::with_capacity(n);\n    while let Some(r) = set.join_next().await { out.push(r.unwrap_or(0.0)); }\n    out.sort_by(|a, b| a.total_cmp(b));\n    out.dedup();\n    out\n}\n";
    const OTHER: &str = "pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {\n    let futures: Vec<_> = (0..n).map(|_| crate::wait_random(max_delay)).collect();\n    let mut all = futures::future::join_all(futures).await;\n    all.reverse();\n    all.truncate(n);\n    all\n}\n";

    fn student(name: &str, text: &str, value: serde_json::Value) -> (StudentFile, Sources) {
        let report = StudentFile {
            class: ClassInfo {
                student: name.into(),
                ..ClassInfo::default()
            },
            lessons: vec![LessonView {
                id: "wait_n".into(),
                cases: ["ten delays", "five delays"]
                    .into_iter()
                    .map(|case| CaseView {
                        name: case.into(),
                        observed: Some(ObservedView {
                            value: value.clone(),
                        }),
                        ..CaseView::default()
                    })
                    .collect(),
                ..LessonView::default()
            }],
            ..StudentFile::default()
        };
        (report, vec![("06_wait_n.rs".into(), text.into())])
    }

    #[test]
    fn a_renamed_reformatted_copy_is_found_with_its_lines() {
        let copy = MINE
            .replace("set", "tasks")
            .replace("out", "result")
            .replace("    ", "\t")
            .replace("{ ", "{\n// mine\n");
        let class = [
            student("ann", MINE, serde_json::json!([1.5])),
            student("ben", &copy, serde_json::json!([2.5])),
            student("cat", OTHER, serde_json::json!([3.5])),
        ];
        let pairs = pairs(&class, &[STUB.to_string()]);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        let pair = &pairs[0];
        assert_eq!((pair.a.as_str(), pair.b.as_str()), ("ann", "ben"));
        assert!(pair.code > 0.9, "{pair:?}");
        assert_eq!(pair.lessons(), ["06_wait_n.rs"]);
        assert_eq!(pair.regions[0].lines_a.first().map(|r| r.0), Some(1));
        assert!(pair.regions[0].lines_b.last().unwrap().1 > 12, "{pair:?}");
    }

    #[test]
    fn the_courses_own_code_and_random_values_are_told_apart() {
        // Two students who both hand in the reference are not alike beyond the lesson.
        let class = [
            student("ann", MINE, serde_json::json!([1.25, 2.5])),
            student("ben", MINE, serde_json::json!([0.5, 7.0])),
            student("cat", OTHER, serde_json::json!([4.0])),
            student("dan", OTHER, serde_json::json!([4.0])),
            student("eve", STUB, serde_json::json!([])),
            student("fay", STUB, serde_json::json!([])),
            student("gus", STUB, serde_json::json!([9.5])),
            student("hal", STUB, serde_json::json!([8.5])),
        ];
        let pairs = pairs(
            &class,
            &[STUB.to_string(), MINE.to_string(), OTHER.to_string()],
        );
        let names: Vec<(&str, &str)> = pairs.iter().map(|p| (p.a.as_str(), p.b.as_str())).collect();
        // cat and dan return the same values where the values are random (two cases); empty
        // values tell nothing.
        assert_eq!(names, [("cat", "dan")]);
        assert_eq!(
            pairs[0].same_values,
            ["wait_n: five delays", "wait_n: ten delays"]
        );
        assert_eq!(pairs[0].code, 0.0);
        let text = csv(&pairs);
        assert!(
            text.contains("\"cat\",\"dan\",0.500,0.000,\"wait_n: five delays; wait_n: ten delays\",\"wait_n\",\"\""),
            "{text}"
        );
    }
}
