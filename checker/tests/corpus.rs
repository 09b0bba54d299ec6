//! The checker is itself checked: every wrong implementation in `corpus/mistakes/` fails its
//! lesson with the **headline** its header promises (the first diagnosis of the lesson's first
//! failing case, the first sentence a student reads), no headline asserts a false cause, and
//! every other lesson still passes: it runs the reference, which passes, since the corpus
//! runner rebinds exactly the lessons an entry's header names.
//!
//! One test per corpus entry (`mistake::NAME`), so that one failure hides no other. A run of
//! the whole file ends with the corpus-wide figure:
//!
//! ```sh
//! cargo test -p checker --test corpus
//! ```
//!
//! prints `headlines: N of M corpus entries name the mistake; K assert a false cause`.

#[path = "it/common/mod.rs"]
mod common;

use std::sync::Mutex;

use checker::grade::grounding;
use common::{Entry, corpus_entries, json_report, runner};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

/// What one entry's run showed, for the figure.
struct Outcome {
    names_the_mistake: bool,
    false_cause: bool,
}

static OUTCOMES: Mutex<Vec<Outcome>> = Mutex::new(Vec::new());

/// The headline of lesson `id` in a JSON report: the first diagnosis of its first failing case.
fn headline<'a>(report: &'a Value, id: &str) -> Option<&'a str> {
    let lesson = report["lessons"]
        .as_array()?
        .iter()
        .find(|l| l["id"] == id)?;
    let first = lesson["cases"]
        .as_array()?
        .iter()
        .find(|c| c["status"] != "pass")?;
    first["diagnosis"].as_str()
}

/// A cause the headline asserts that the entry's own source contradicts, if any: a false
/// headline is worse than none. Besides the entry's `Not:` phrases (false causes seen before),
/// causes that need a name in the source: `std::time::Instant` blamed where the source never
/// uses it, a lock where it takes none, a wait that never happens where it sleeps in real time.
fn false_cause(headline: &str, entry: &Entry, source: &str) -> Option<String> {
    if let Some(not) = entry.not.iter().find(|n| headline.contains(n.as_str())) {
        return Some(format!(
            "says {not:?}, a cause this entry is known not to have"
        ));
    }
    let uses_std_instant = source.contains("std::time::Instant")
        || (source.contains("std::time::") && source.contains("Instant::now"));
    if headline.contains("std::time::Instant") && !uses_std_instant {
        return Some("blames std::time::Instant, which the source does not use".into());
    }
    let locks = ["Mutex", "RwLock", "Condvar", "recv", ".join()"];
    if headline.contains("waiting on a lock") && !locks.iter().any(|l| source.contains(l)) {
        return Some("blames a lock, and the source takes none".into());
    }
    // Any API the headline names must be in the entry's code, or be what the course has taught
    // by this lesson (advice): in a reference, the instructions or a spec up to it.
    // A name that is in none of them is blamed on code that does not contain it.
    let taught = taught_by(&entry.lesson);
    let known: std::collections::BTreeSet<String> = grounding::identifiers(source)
        .into_iter()
        .chain(
            taught
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map(str::to_string),
        )
        .collect();
    if let Some(name) = grounding::named_anywhere(headline)
        .into_iter()
        .find(|name| !known.contains(name) && name != "let _")
    {
        return Some(format!(
            "names `{name}`, which neither this entry's code nor the reference holds"
        ));
    }
    if grounding::named_anywhere(headline).contains("let _") && !source.contains("let _ =") {
        return Some("blames `let _`, and the source binds nothing to `_`".into());
    }
    let sleeps_in_real_time = source.contains("thread::sleep") || source.contains("thread::*");
    if headline.contains("never happens") && sleeps_in_real_time {
        return Some(
            "says the code waited for something that never happens; it sleeps in real time".into(),
        );
    }
    None
}

/// What the course has taught by `lesson`: the text of the reference, the instructions and
/// the spec of every lesson up to it (`solutions/src/NN_ID.rs`, `exercises/src/NN_ID.rs`,
/// `specs/NN_ID.toml` with NN at most `lesson`'s number).
fn taught_by(lesson: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let folders = [
        root.join("solutions/src"),
        root.join("exercises/src"),
        root.join("specs"),
    ];
    let files: Vec<(u32, String, std::path::PathBuf)> = folders
        .iter()
        .flat_map(|folder| std::fs::read_dir(folder).into_iter().flatten().flatten())
        .filter_map(|entry| {
            let path = entry.path();
            let stem = path.file_stem()?.to_str()?.to_string();
            let (number, id) = stem.split_once('_')?;
            Some((number.parse().ok()?, id.to_string(), path))
        })
        .collect();
    let Some(last) = files.iter().find(|(_, id, _)| id == lesson).map(|f| f.0) else {
        return String::new();
    };
    files
        .iter()
        .filter(|(number, _, _)| *number <= last)
        .filter_map(|(_, _, path)| std::fs::read_to_string(path).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Grades the lesson `entry` replaces and checks its verdicts; records the outcome for the
/// figure. An entry that replaces one lesson is graded alone: the other lessons run the
/// reference, which passes ([`the_corpus_without_a_variant_is_the_reference`]), since the
/// corpus runner rebinds exactly the lessons of its `variants.rs` line
/// ([`every_variant_replaces_the_lessons_its_header_names`]). One that replaces several is
/// graded with the whole course: a later lesson's headline names the earlier one it builds on.
fn check(entry: &Entry) -> Result<(), Failed> {
    let path = runner("corpus");
    let path = path.to_str().ok_or("runner path is not UTF-8")?;
    let mut args = vec!["--runner", path, "--variant", &entry.variant];
    if let [lesson] = entry.lessons.as_slice() {
        args.push(lesson);
    }
    let (code, report) = json_report(&args);
    let source = std::fs::read_to_string(&entry.file).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    if code != 1 {
        problems.push(format!("exit status {code}, not 1"));
    }
    let lessons = report["lessons"]
        .as_array()
        .ok_or("no lessons in the report")?;
    for lesson in lessons {
        let id = lesson["id"].as_str().unwrap_or_default();
        let status = lesson["status"].as_str().unwrap_or_default();
        let replaced = entry.lessons.iter().any(|l| l == id);
        if !replaced && status != "done" {
            problems.push(format!("lesson {id} is affected too: {status}"));
        }
        if replaced
            && status == "done"
            && (id == entry.lesson || entry.headline_of.iter().any(|(l, _)| l == id))
        {
            problems.push(format!("lesson {id} passes"));
        }
    }
    let mut expected: Vec<(&str, &str)> = Vec::new();
    if let Some(phrase) = &entry.headline {
        expected.push((&entry.lesson, phrase));
    } else {
        problems.push("its header has no `Headline:`".into());
    }
    expected.extend(
        entry
            .headline_of
            .iter()
            .map(|(l, p)| (l.as_str(), p.as_str())),
    );
    let mut names_the_mistake = !expected.is_empty();
    let mut false_found = false;
    for (lesson, phrase) in expected {
        let shown = headline(&report, lesson).unwrap_or("");
        if !shown.contains(phrase) {
            names_the_mistake = false;
            problems.push(format!(
                "the headline of {lesson} does not say {phrase:?}; it says: {shown:?}"
            ));
        }
        if let Some(why) = false_cause(shown, entry, &source) {
            false_found = true;
            problems.push(format!(
                "the headline of {lesson} asserts a false cause: {why}: {shown:?}"
            ));
        }
    }
    if let Ok(mut outcomes) = OUTCOMES.lock() {
        outcomes.push(Outcome {
            names_the_mistake,
            false_cause: false_found,
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} ({}): {}",
            entry.variant,
            entry.mistake,
            problems.join("\n")
        )
        .into())
    }
}

fn every_lesson_has_mistakes_in_the_corpus() -> Result<(), Failed> {
    let lessons: std::collections::BTreeSet<String> = corpus_entries("mistakes")
        .into_iter()
        .flat_map(|e| e.lessons)
        .collect();
    if lessons.len() == common::lesson_count() {
        Ok(())
    } else {
        Err(format!("lessons with mistakes: {lessons:?}").into())
    }
}

/// The lessons each line of `corpus/src/variants.rs` rebinds (`kind/name => a & b`), by
/// variant name.
fn variants_table() -> std::collections::BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(common::root().join("corpus/src/variants.rs"))
        .expect("corpus/src/variants.rs");
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .filter_map(|line| {
            let (name, lessons) = line.trim().trim_end_matches(',').split_once("=>")?;
            let (_, name) = name.trim().split_once('/')?;
            let mut lessons: Vec<String> =
                lessons.split('&').map(|l| l.trim().to_string()).collect();
            lessons.sort();
            Some((name.trim().to_string(), lessons))
        })
        .collect()
}

fn every_variant_replaces_the_lessons_its_header_names() -> Result<(), Failed> {
    let table = variants_table();
    let mut problems = Vec::new();
    for kind in ["mistakes", "hostile"] {
        for entry in corpus_entries(kind) {
            let mut named = entry.lessons.clone();
            named.sort();
            match table.get(&entry.variant) {
                Some(lessons) if *lessons == named => {}
                Some(lessons) => problems.push(format!(
                    "{}: variants.rs rebinds {lessons:?}, its header says {:?}",
                    entry.variant, entry.lessons
                )),
                None => problems.push(format!("{}: no line in variants.rs", entry.variant)),
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn the_corpus_without_a_variant_is_the_reference() -> Result<(), Failed> {
    let path = runner("corpus");
    let (code, _) = json_report(&["--runner", path.to_str().ok_or("runner path")?]);
    if code == 0 {
        Ok(())
    } else {
        Err(format!("exit status {code}").into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let entries = corpus_entries("mistakes");
    let total = entries.len();
    let mut trials: Vec<Trial> = entries
        .into_iter()
        .map(|entry| Trial::test(format!("mistake::{}", entry.variant), move || check(&entry)))
        .collect();
    trials.push(Trial::test(
        "every_lesson_has_mistakes_in_the_corpus",
        every_lesson_has_mistakes_in_the_corpus,
    ));
    trials.push(Trial::test(
        "every_variant_replaces_the_lessons_its_header_names",
        every_variant_replaces_the_lessons_its_header_names,
    ));
    trials.push(Trial::test(
        "the_corpus_without_a_variant_is_the_reference",
        the_corpus_without_a_variant_is_the_reference,
    ));
    let conclusion = libtest_mimic::run(&args, trials);
    let outcomes = OUTCOMES.lock().map(|o| {
        (
            o.len(),
            o.iter().filter(|o| o.names_the_mistake).count(),
            o.iter().filter(|o| o.false_cause).count(),
        )
    });
    if let Ok((ran, named, false_causes)) = outcomes
        && ran > 0
    {
        let scope = if ran == total {
            "corpus entries".to_string()
        } else {
            format!("corpus entries run (of {total})")
        };
        println!(
            "\nheadlines: {named} of {ran} {scope} name the mistake; {false_causes} assert a false cause"
        );
    }
    conclusion.exit();
}
