//! `checker bench --repeat`: the same verdicts, run after run, with or without other load:
//! the reference suite and the corpus graded again and again, every verdict compared.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::load::Loads;
use super::{BenchArgs, checker, measure};
use crate::text::numbers::mask_numbers;

/// The JSON report a checker run wrote.
pub(super) fn parse_report(stdout: &str) -> anyhow::Result<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_str(stdout)
        .map_err(|e| anyhow::anyhow!("the checker did not write a JSON report: {e}"))?;
    anyhow::ensure!(
        report["lessons"].as_array().is_some_and(|lessons| lessons
            .iter()
            .any(|l| l["cases"].as_array().is_some_and(|c| !c.is_empty()))),
        "the report holds no case"
    );
    Ok(report)
}

/// Each case's verdict as one comparable line: lesson, case, status and the diagnosis with
/// its numbers masked (a diagnosis quotes the delays drawn, which differ from run to run).
fn verdicts(report: &serde_json::Value) -> Vec<String> {
    report["lessons"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|l| {
            l["cases"].as_array().into_iter().flatten().map(move |c| {
                format!(
                    "{} / {}: {} ({})",
                    l["id"],
                    c["name"],
                    c["status"],
                    mask_numbers(c["diagnosis"].as_str().unwrap_or("no diagnosis"))
                )
            })
        })
        .collect()
}

/// The verdict on a wrong implementation as `checker/tests/corpus.rs` judges it: every
/// lesson's status, the first failing case of `lesson`, and whether its diagnosis names the
/// mistake (`expect`). Which of several true diagnoses a case gets may depend on the values a
/// random lesson drew (a delay under 1 s looks both unslept and truncated to whole seconds);
/// this verdict may not.
fn corpus_verdict(report: &serde_json::Value, lesson: &str, expect: &str) -> Vec<String> {
    let lessons = report["lessons"].as_array().into_iter().flatten();
    let mut lines: Vec<String> = lessons
        .clone()
        .map(|l| format!("{}: {}", l["id"], l["status"]))
        .collect();
    let first_failing = lessons
        .filter(|l| l["id"] == lesson)
        .flat_map(|l| l["cases"].as_array().into_iter().flatten())
        .find(|c| c["status"] != "pass");
    lines.push(match first_failing {
        Some(case) => format!(
            "first failing case {}; its diagnosis names the mistake: {}",
            case["name"],
            case["diagnosis"]
                .as_str()
                .is_some_and(|d| d.contains(expect))
        ),
        None => format!("no case of {lesson} fails"),
    });
    lines
}

/// The first line where two verdicts differ: `was` → `now`.
fn first_difference(was: &[String], now: &[String]) -> String {
    let missing = "(nothing)".to_string();
    (0..was.len().max(now.len()))
        .map(|i| {
            (
                was.get(i).unwrap_or(&missing),
                now.get(i).unwrap_or(&missing),
            )
        })
        .find(|(a, b)| a != b)
        .map_or_else(String::new, |(a, b)| format!("`{a}` became `{b}`"))
}

/// Whether a line of [`verdicts`] is a pass.
fn is_pass(verdict: &str) -> bool {
    verdict.contains(": \"pass\" (")
}

/// Processes that keep every core busy while they live; killed on drop, so an error in the
/// middle of a benchmark never leaves them spinning.
struct Load(Vec<std::process::Child>);

impl Load {
    /// One busy process per core of the `cores` when `on`; none when not.
    fn start(on: bool, cores: usize) -> anyhow::Result<Load> {
        let mut load = Load(Vec::new());
        if on {
            for _ in 0..cores {
                load.0.push(
                    Command::new("sh")
                        .args(["-c", "while :; do :; done"])
                        .stdin(Stdio::null())
                        .spawn()?,
                );
            }
        }
        Ok(load)
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        for process in &mut self.0 {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

/// Repeats the reference suite and every corpus variant, comparing every verdict with the
/// first run's, optionally while other processes keep every core busy.
pub(super) fn repeat(
    root: &Path,
    reference: &str,
    corpus: &Path,
    args: &BenchArgs,
    out: &mut String,
    loads: &mut Loads,
) -> anyhow::Result<()> {
    let load = Load::start(args.load, loads.cores())?;
    // The mistakes: their verdicts must not depend on timing. (The hostile corpus is judged by
    // real-time budgets by design; checker/tests/it/hostile/ covers it.)
    let mut variants: Vec<String> = std::fs::read_dir(root.join("corpus/src/mistakes"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    variants.sort();
    let started = Instant::now();
    // Exit 0 (all pass) or 1 (some case fails) only: anything else is a broken run, not a verdict.
    let run = |extra: &[&str]| -> anyhow::Result<serde_json::Value> {
        let m = measure(
            Command::new(checker()?)
                .current_dir(root)
                .args(extra)
                .args(["--format", "json"]),
        )?;
        anyhow::ensure!(
            m.code == 0 || m.code == 1,
            "checker {} exited with {}",
            extra.join(" "),
            m.code
        );
        parse_report(&m.stdout).map_err(|e| e.context(format!("checker {}", extra.join(" "))))
    };
    // The reference: every run must pass every case, with the same verdicts each time.
    let first = verdicts(&run(&["--runner", reference])?);
    let mut reference_failures = first.iter().filter(|v| !is_pass(v)).count();
    let mut reference_changes = 0;
    for _ in 1..args.repeat {
        let now = verdicts(&run(&["--runner", reference])?);
        reference_failures += now.iter().filter(|v| !is_pass(v)).count();
        reference_changes += usize::from(now != first);
    }
    let corpus_arg = corpus.to_string_lossy().into_owned();
    let mut corpus_changes = Vec::new();
    let mut detail_changes = Vec::new();
    // How each variant that changed first differed from its first run, for the report.
    let mut differences = Vec::new();
    let corpus_runs = args.corpus_repeat.unwrap_or(args.repeat);
    for variant in &variants {
        let crate::corpus::Entry { lesson, expect, .. } = crate::corpus::entry(
            &root
                .join("corpus/src/mistakes")
                .join(format!("{variant}.rs")),
        )?;
        let report = run(&["--runner", &corpus_arg, "--variant", variant])?;
        let (first, first_detail) = (corpus_verdict(&report, &lesson, &expect), verdicts(&report));
        let (mut changed, mut detail_changed) = (None, false);
        for _ in 1..corpus_runs {
            let report = run(&["--runner", &corpus_arg, "--variant", variant])?;
            let now = corpus_verdict(&report, &lesson, &expect);
            if changed.is_none() && now != first {
                changed = Some(first_difference(&first, &now));
            }
            detail_changed |= verdicts(&report) != first_detail;
        }
        if let Some(difference) = changed {
            corpus_changes.push(variant.clone());
            differences.push(format!("- {variant}: {difference}"));
        }
        if detail_changed {
            detail_changes.push(variant.clone());
        }
    }
    // Read while the load processes still run: the load they add is part of the figure.
    let load_cell = loads.note();
    drop(load);
    let _ = writeln!(
        out,
        "## 5. Determinism{}\n",
        if args.load {
            ", with every core kept busy by other processes"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "| what | runs | differing verdicts |\n|---|---|---|");
    let _ = writeln!(
        out,
        "| reference suite ({} cases) | {} | {reference_changes} runs differ; {reference_failures} case failures in all |",
        first.len(),
        args.repeat
    );
    let names = |list: &[String]| {
        if list.is_empty() {
            String::new()
        } else {
            format!(": {}", list.join(", "))
        }
    };
    let _ = writeln!(
        out,
        "| corpus of mistakes ({} variants): each lesson's status, the first failing case, its diagnosis naming the mistake | {} each | {} variants differ{} |",
        variants.len(),
        corpus_runs,
        corpus_changes.len(),
        names(&corpus_changes)
    );
    let _ = writeln!(
        out,
        "| the same, every case's status and which diagnosis it got (informational: a rule may depend on the values drawn) | {} each | {} variants vary{} |",
        corpus_runs,
        detail_changes.len(),
        names(&detail_changes)
    );
    if !differences.is_empty() {
        let _ = writeln!(out, "\nFirst differences:\n\n{}", differences.join("\n"));
    }
    let _ = writeln!(
        out,
        "\n(took {:.0} s; load {load_cell})\n",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{"lessons": [{"id": "wait_n", "cases": [
        {"name": "five", "status": "fail", "diagnosis": "ran one after another: took 23.4 s, the sum of the 5 delays"},
        {"name": "one", "status": "pass", "diagnosis": null}
    ]}]}"#;

    #[test]
    fn verdicts_keep_the_diagnosis_but_not_its_numbers() {
        let lines = verdicts(&parse_report(REPORT).expect("a report"));
        assert_eq!(
            lines,
            [
                r#""wait_n" / "five": "fail" (ran one after another: took # s, the sum of the # delays)"#,
                r#""wait_n" / "one": "pass" (no diagnosis)"#,
            ]
        );
        assert!(!is_pass(&lines[0]));
        assert!(is_pass(&lines[1]));
        // A whole number and a decimal one mask alike.
        assert_eq!(mask_numbers("took 18 s"), mask_numbers("took 18.44 s"));
        assert_eq!(mask_numbers("v1.2, then 3."), "v#, then #");
    }

    #[test]
    fn a_missing_or_empty_report_is_an_error_not_an_empty_verdict() {
        assert!(parse_report("").is_err());
        assert!(parse_report("not json").is_err());
        assert!(parse_report(r#"{"lessons": []}"#).is_err());
        assert!(parse_report(r#"{"lessons": [{"id": "x", "cases": []}]}"#).is_err());
    }

    #[test]
    fn the_corpus_verdict_is_whether_the_diagnosis_names_the_mistake() {
        let report = parse_report(REPORT).expect("a report");
        let named = corpus_verdict(&report, "wait_n", "one after another");
        assert_eq!(
            named.last().map(String::as_str),
            Some(r#"first failing case "five"; its diagnosis names the mistake: true"#)
        );
        let other = corpus_verdict(&report, "wait_n", "descending");
        assert_ne!(named, other);
        assert_eq!(
            corpus_verdict(&report, "say_hello", "x")
                .last()
                .map(String::as_str),
            Some("no case of say_hello fails")
        );
    }

    #[test]
    fn the_first_difference_names_both_lines() {
        let was = ["a: done".to_string(), "b: done".to_string()];
        let now = ["a: done".to_string(), "b: failing".to_string()];
        assert_eq!(
            first_difference(&was, &now),
            "`b: done` became `b: failing`"
        );
        assert_eq!(
            first_difference(&was, &was[..1]),
            "`b: done` became `(nothing)`"
        );
    }

    #[test]
    fn load_processes_end_when_dropped() {
        // One core's worth, not the machine's: the test keeps one core busy, not all.
        let load = Load::start(true, 1).expect("sh starts");
        let pids: Vec<u32> = load.0.iter().map(std::process::Child::id).collect();
        assert_eq!(pids.len(), 1, "one process per core given");
        assert!(Load::start(false, 4).expect("nothing starts").0.is_empty());
        drop(load);
        for pid in pids {
            assert!(
                !crate::os::process_exists(pid),
                "load process {pid} still runs"
            );
        }
    }
}
