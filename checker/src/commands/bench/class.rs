//! `checker bench --class N`: grading a class of N generated submissions with `grade-many`,
//! against the naive way (a fresh copy of the course per submission, graded there with a
//! cold build), timed on a few submissions and extrapolated to N.
//!
//! The submissions mix the reference solutions (half), corpus mistakes (three in ten), a
//! lesson file that does not compile (one in ten) and partial uploads (one in ten). Each
//! submission's files carry a comment of their own, so none is byte-identical to another.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::Context as _;

/// The course's lesson files (`01_say_hello.rs`, ...), from `solutions/src`.
fn lesson_files(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut files: Vec<String> = std::fs::read_dir(root.join("solutions/src"))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(|c: char| c.is_ascii_digit()) && n.ends_with(".rs"))
        .collect();
    files.sort();
    Ok(files)
}

/// Corpus mistakes a student could hand in as one lesson file: `(lesson file, text)`. Those
/// that re-export their own lesson's reference (a partial file) or replace several lessons
/// are left out; `solutions::` becomes `crate::`.
fn mistakes(root: &Path, files: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for entry in crate::corpus::entries(root, "mistakes")? {
        let text = std::fs::read_to_string(&entry.file)
            .with_context(|| format!("cannot read {}", entry.file.display()))?;
        if entry.lessons.len() > 1 {
            continue;
        }
        let lesson = entry.lesson.as_str();
        if text.contains(&format!("solutions::{lesson}::")) {
            continue;
        }
        let Some(file) = files.iter().find(|f| {
            f.split_once('_')
                .is_some_and(|(_, rest)| rest == format!("{lesson}.rs"))
        }) else {
            continue;
        };
        out.push((file.clone(), text.replace("solutions::", "crate::")));
    }
    Ok(out)
}

/// Writes `count` submissions into `dir` (`student-000`, ...).
fn generate(root: &Path, dir: &Path, count: usize) -> anyhow::Result<()> {
    let files = lesson_files(root)?;
    let mistakes = mistakes(root, &files)?;
    anyhow::ensure!(!mistakes.is_empty(), "no usable corpus mistake");
    for i in 0..count {
        let student = dir.join(format!("student-{i:03}"));
        std::fs::create_dir_all(&student)?;
        let kind = i % 10;
        let kept = if kind == 9 { 5 } else { files.len() };
        for file in &files[..kept] {
            let text = std::fs::read_to_string(root.join("solutions/src").join(file))?;
            std::fs::write(student.join(file), format!("{text}\n// student {i}\n"))?;
        }
        match kind {
            5..=7 => {
                let (file, text) = &mistakes[(i / 10 * 3 + kind - 5) % mistakes.len()];
                std::fs::write(student.join(file), format!("{text}\n// student {i}\n"))?;
            }
            8 => {
                let file = &files[i / 10 % files.len()];
                let text = std::fs::read_to_string(root.join("solutions/src").join(file))?;
                std::fs::write(
                    student.join(file),
                    format!("{text}\npub fn unfinished( {{\n"),
                )?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Runs the class benchmark: `count` submissions with `grade-many --jobs jobs`, and the naive
/// way on `naive` of them; appends its section to `out`.
///
/// # Errors
/// A command cannot be run, or grade-many fails.
pub fn class(
    root: &Path,
    count: usize,
    naive: usize,
    jobs: Option<usize>,
    out: &mut String,
    loads: &mut super::load::Loads,
) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let dir = tempfile::tempdir()?;
    let submissions = dir.path().join("submissions");
    generate(root, &submissions, count)?;
    let jobs = jobs.unwrap_or_else(|| crate::options::class_jobs(loads.cores()));

    eprintln!("Class: grade-many on {count} submissions, {jobs} worker(s), from a cold start...");
    let grades = dir.path().join("grades");
    let run = |label: &str| -> anyhow::Result<f64> {
        let started = Instant::now();
        let status = Command::new(&exe)
            .current_dir(root)
            .arg("grade-many")
            .arg(&submissions)
            .arg("--out")
            .arg(&grades)
            .args(["--jobs", &jobs.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("cannot run grade-many ({label})"))?;
        // 1: some submission could not be graded; here every one has lesson files.
        anyhow::ensure!(
            status.code() == Some(0),
            "grade-many ({label}) exited with {status}"
        );
        Ok(started.elapsed().as_secs_f64())
    };
    let cold = run("cold")?;
    let cold_load = loads.note();
    let book = std::fs::read_to_string(grades.join(crate::class::GRADEBOOK))?;
    anyhow::ensure!(
        book.lines().count() == count + 1,
        "the gradebook has {} rows for {count} submissions",
        book.lines().count().saturating_sub(1)
    );
    let resumed = run("resumed")?;
    let resumed_load = loads.note();

    eprintln!(
        "Class: the naive way on {naive} submission(s) (a fresh copy and a cold build each)..."
    );
    let mut naive_walls = Vec::new();
    for i in 0..naive.min(count) {
        let copy = tempfile::tempdir()?;
        let started = Instant::now();
        crate::workspace::copy_workspace(root, copy.path())?;
        let student = submissions.join(format!("student-{i:03}"));
        for entry in std::fs::read_dir(&student)? {
            let entry = entry?;
            std::fs::copy(
                entry.path(),
                copy.path().join("exercises/src").join(entry.file_name()),
            )?;
        }
        let status = Command::new(&exe)
            .current_dir(copy.path())
            .env_remove("CARGO_TARGET_DIR")
            .args(["--format", "json", "--output"])
            .arg(copy.path().join("report.json"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        anyhow::ensure!(
            matches!(status.code(), Some(0 | 1 | 3)),
            "the naive grading of student-{i:03} exited with {status}"
        );
        naive_walls.push(started.elapsed().as_secs_f64());
    }
    let naive_load = if naive_walls.is_empty() {
        String::new()
    } else {
        loads.note()
    };
    let per_naive = naive_walls.iter().sum::<f64>() / naive_walls.len().max(1) as f64;
    let naive_total = per_naive * count as f64;

    let _ = writeln!(out, "## 7. A class of {count} generated submissions\n");
    let _ = writeln!(
        out,
        "Half reference, three in ten a corpus mistake, one in ten a lesson file that does not compile, one in ten only five lesson files.\n"
    );
    let _ = writeln!(
        out,
        "| way | wall | per submission | {} |\n|---|---|---|---|",
        super::load::COLUMN
    );
    let _ = writeln!(
        out,
        "| `checker grade-many --jobs {jobs}`, cold (the dependencies built once, in the run) | {cold:.1} s | {:.2} s | {cold_load} |",
        cold / count as f64
    );
    let _ = writeln!(
        out,
        "| the same again, every submission unchanged (reused) | {resumed:.2} s | | {resumed_load} |"
    );
    if naive_walls.is_empty() {
        out.push('\n');
        return Ok(());
    }
    let _ = writeln!(
        out,
        "| naive: a fresh copy of the course and `checker` in it (a cold build) per submission, measured on {} and extrapolated to {count} | {naive_total:.0} s (estimate) | {per_naive:.1} s | {naive_load} |",
        naive_walls.len()
    );
    let _ = writeln!(
        out,
        "\ngrade-many is {:.0}x faster than the naive way.\n",
        naive_total / cold
    );
    Ok(())
}
