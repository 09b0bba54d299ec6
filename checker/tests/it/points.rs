//! Exact points: over every shipped spec, and over the same specs given awkward `points`
//! (1 point on a 7-check lesson, tenths, thousandths), the parts of each lesson add up exactly
//! to its points and the total to the sum of the lessons, in every format.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::root;
use base64::Engine;
use checker::points::{from_millis, round_to_points, to_millis};
use checker::report;
use checker::results::Context;
use checker::results::{CaseResult, LessonResult, Status};
use checker::spec::{Lesson, load_dirs};

/// The lessons of a spec directory.
fn lessons(dir: &Path) -> Vec<Lesson> {
    let mut lessons = load_dirs(&[dir.to_path_buf()]).unwrap_or_else(|e| panic!("{e:?}"));
    for (index, lesson) in lessons.iter_mut().enumerate() {
        lesson.number = index + 1;
    }
    lessons
}

/// What each spec file says a lesson is worth, in milli-points: its `points`, or one point per
/// check (cases and source checks) without it.
fn spec_points(dir: &Path) -> BTreeMap<String, u64> {
    let mut worth = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let spec: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        let checks = ["case", "source"]
            .iter()
            .map(|k| spec.get(*k).and_then(|v| v.as_array()).map_or(0, Vec::len))
            .sum::<usize>() as u64;
        let millis = match spec.get("points") {
            Some(toml::Value::Integer(p)) => *p as u64 * 1000,
            Some(toml::Value::Float(p)) => to_millis(*p),
            _ => checks * 1000,
        };
        worth.insert(spec["lesson"].as_str().unwrap().to_string(), millis);
    }
    worth
}

/// Results where some cases pass and some fail, in a fixed pattern.
fn results(lessons: &[Lesson]) -> Vec<LessonResult> {
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
                .map(|(i, case)| {
                    let status = if (i + lesson.number) % 3 == 0 {
                        Status::Fail
                    } else {
                        Status::Pass
                    };
                    CaseResult::new(&case.name, &case.function, status, case.points, case.hidden)
                })
                .collect(),
            compile_errors: Vec::new(),
        })
        .collect()
}

/// `value` as milli-points, failing unless it is a whole number of thousandths.
fn millis(value: f64, what: &str) -> u64 {
    let m = to_millis(value);
    assert_eq!(
        from_millis(m),
        value,
        "{what}: {value} is not in thousandths"
    );
    m
}

fn context() -> Context {
    Context {
        subject: "exercises".into(),
        clock: "virtual".into(),
        stray_compile_errors: Vec::new(),
        interrupted: false,
        isolated: false,
        sandbox: None,
        seed: Some(7),
    }
}

/// Every format's lesson parts and totals, checked against the specs' points.
fn check_every_format(dir: &Path) -> String {
    let lessons = lessons(dir);
    let worth = spec_points(dir);
    let results = results(&lessons);
    let expected_total: u64 = worth.values().sum();
    let earned: BTreeMap<String, u64> = results
        .iter()
        .map(|l| {
            let got = l
                .cases
                .iter()
                .filter(|c| c.status == Status::Pass)
                .map(|c| to_millis(c.max_points))
                .sum();
            (l.id.clone(), got)
        })
        .collect();
    let expected_score: u64 = earned.values().sum();
    // The compiled cases themselves.
    for lesson in &lessons {
        let sum: u64 = lesson.cases.iter().map(|c| millis(c.points, &c.name)).sum();
        assert_eq!(
            sum,
            worth[&lesson.id],
            "lesson {} in {}",
            lesson.id,
            dir.display()
        );
    }

    // JSON: lesson scores, case points, summary.
    let json: serde_json::Value =
        serde_json::from_str(&report::json::render(&results, &context())).unwrap();
    for lesson in json["lessons"].as_array().unwrap() {
        let id = lesson["id"].as_str().unwrap();
        let max = millis(lesson["max_score"].as_f64().unwrap(), id);
        assert_eq!(max, worth[id], "json max_score of {id}");
        let parts: u64 = lesson["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| millis(c["max_points"].as_f64().unwrap(), id))
            .sum();
        assert_eq!(parts, max, "json cases of {id}");
        let got: u64 = lesson["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| millis(c["points"].as_f64().unwrap(), id))
            .sum();
        assert_eq!(millis(lesson["score"].as_f64().unwrap(), id), got);
        assert_eq!(got, earned[id]);
    }
    assert_eq!(
        json["summary"]["max_score"].as_f64(),
        Some(from_millis(expected_total))
    );
    assert_eq!(
        json["summary"]["score"].as_f64(),
        Some(from_millis(expected_score))
    );

    // Gradescope: tests grouped by lesson, and the totals.
    let gradescope: serde_json::Value =
        serde_json::from_str(&report::gradescope::render(&results, &context(), 1.0)).unwrap();
    let mut per_lesson: BTreeMap<String, u64> = BTreeMap::new();
    let mut tests_score = 0;
    for test in gradescope["tests"].as_array().unwrap() {
        let name = test["name"].as_str().unwrap();
        let id = name.split([' ', ':']).nth(1).unwrap().to_string();
        *per_lesson.entry(id).or_default() += millis(test["max_score"].as_f64().unwrap(), name);
        tests_score += millis(test["score"].as_f64().unwrap(), name);
    }
    assert_eq!(per_lesson, worth, "gradescope tests per lesson");
    assert_eq!(
        gradescope["extra_data"]["max_score"].as_f64(),
        Some(from_millis(expected_total))
    );
    assert_eq!(
        gradescope["score"].as_f64(),
        Some(from_millis(expected_score))
    );
    assert_eq!(tests_score, expected_score);

    // JUnit: properties of suites and cases.
    let xml = report::junit::render(&results, &context()).unwrap();
    let junit = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let property = |props: &[quick_junit::Property], name: &str| -> f64 {
        props
            .iter()
            .find(|p| p.name.as_str() == name)
            .unwrap_or_else(|| panic!("no property {name}"))
            .value
            .as_str()
            .parse()
            .unwrap()
    };
    for suite in &junit.test_suites {
        let id = suite.name.as_str().split_once(' ').unwrap().1;
        let max = millis(property(&suite.properties, "max_score"), id);
        assert_eq!(max, worth[id], "junit max_score of {id}");
        let parts: u64 = suite
            .test_cases
            .iter()
            .map(|c| {
                let key = format!("max_score: {}", c.name.as_str());
                millis(property(&suite.properties, &key), id)
            })
            .sum();
        assert_eq!(parts, max);
        assert_eq!(
            millis(property(&suite.properties, "total_max_score"), id),
            expected_total
        );
        assert_eq!(
            millis(property(&suite.properties, "total_score"), id),
            expected_score
        );
        assert_eq!(millis(property(&suite.properties, "score"), id), earned[id]);
    }

    // GitHub Classroom (legacy): the tests' scores and the maximum.
    let encoded = report::classroom::render(&results, &context());
    let classroom: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        classroom["max_score"].as_f64(),
        Some(from_millis(expected_total))
    );
    let got: u64 = classroom["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| millis(t["score"].as_f64().unwrap(), "classroom"))
        .sum();
    assert_eq!(got, expected_score);

    // Classroom 50: whole points that keep the total, each lesson within one point of its own.
    let identity = report::classroom50::Identity::from_lookup(|_| None, std::time::UNIX_EPOCH);
    let c50: serde_json::Value = serde_json::from_str(&report::classroom50::render(
        &results,
        &context(),
        &identity,
    ))
    .unwrap();
    let tests = c50["tests"].as_array().unwrap();
    let max_sum: u64 = tests.iter().map(|t| t["max-score"].as_u64().unwrap()).sum();
    let score_sum: u64 = tests.iter().map(|t| t["score"].as_u64().unwrap()).sum();
    assert_eq!(
        c50["max-score"].as_u64(),
        Some(round_to_points(expected_total))
    );
    assert_eq!(c50["max-score"].as_u64(), Some(max_sum));
    assert_eq!(c50["score"].as_u64(), Some(score_sum));
    let mut whole: BTreeMap<String, u64> = BTreeMap::new();
    for test in tests {
        *whole
            .entry(test["lesson"].as_str().unwrap().to_string())
            .or_default() += test["max-score"].as_u64().unwrap();
        assert!(test["score"].as_u64() <= test["max-score"].as_u64());
        millis(
            test["max-points"].as_f64().unwrap(),
            "classroom50 max-points",
        );
    }
    for (id, points) in &whole {
        let exact = worth[id];
        assert!(
            points * 1000 + 1000 > exact && points * 1000 < exact + 1000,
            "classroom50 gives {id} {points} whole points for {exact} milli-points"
        );
    }

    // Human: the progress line's total.
    let human = report::human::render(&results, &context(), report::style::Style::PLAIN);
    let line = format!(
        "score {}/{}",
        checker::text::numbers::format_number(from_millis(expected_score)),
        checker::text::numbers::format_number(from_millis(expected_total))
    );
    assert!(human.contains(&line), "no `{line}` in:\n{human}");
    format!(
        "{}: {} lessons, total {} (classroom50 {}), score {}",
        dir.display(),
        lessons.len(),
        from_millis(expected_total),
        round_to_points(expected_total),
        from_millis(expected_score)
    )
}

#[test]
fn every_shipped_spec_adds_up_exactly_in_every_format() {
    println!("{}", check_every_format(&root().join("specs")));
}

/// The shipped specs with `points` set to `value` on every lesson.
fn specs_with_points(value: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("specs")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("points ="))
            .collect();
        std::fs::write(
            dir.path().join(path.file_name().unwrap()),
            format!("points = {value}\n{}\n", kept.join("\n")),
        )
        .unwrap();
    }
    dir
}

#[test]
fn awkward_points_add_up_exactly_in_every_format() {
    let wait_n = lessons(&root().join("specs"))
        .into_iter()
        .find(|l| l.id == "wait_n")
        .unwrap();
    assert!(
        wait_n.cases.len() >= 7,
        "wait_n has {} checks",
        wait_n.cases.len()
    );
    for value in ["1", "0.1", "2.5", "7", "0.001", "100.003", "3.333"] {
        let dir = specs_with_points(value);
        println!("points = {value}: {}", check_every_format(dir.path()));
        // 1 point on the many-check lesson: thousandths, the first checks take the remainder.
        if value == "1" {
            let wait_n = lessons(dir.path())
                .into_iter()
                .find(|l| l.id == "wait_n")
                .unwrap();
            let n = wait_n.cases.len() as u64;
            let (share, left) = (1000 / n, 1000 % n);
            for (i, case) in wait_n.cases.iter().enumerate() {
                let expected = share + u64::from((i as u64) < left);
                assert_eq!(case.points, from_millis(expected), "{}", case.name);
            }
        }
    }
}

#[test]
fn points_beyond_thousandths_are_a_spec_error() {
    let dir = specs_with_points("0.0005");
    assert!(load_dirs(&[dir.path().to_path_buf()]).is_err());
}
