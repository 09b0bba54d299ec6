//! Timelines: the terminal drawing of real runs (snapshots), the HTML page (parsed), and the
//! page in a real browser (headless Chromium, screenshot checked).
//!
//! Random delays make raw times differ from run to run, so the wait_n snapshots draw a
//! timeline whose times are replaced by their ranks (0, 1, 2, ...) and whose rows are sorted:
//! that keeps exactly the shape (one after another, or all at once) and nothing random.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use crate::common::{checker, chromium, root, runner};
use asynclings_runner::timeline::Timeline;
use checker::results::CaseTimeline;
use checker::timeline::term::{Look, render};

const LOOK: Look = Look {
    width: 100,
    unicode: true,
    color: false,
};

/// The timeline of case `case` (by name prefix) of `lesson`, from the JSON report of a run
/// with `--timeline`.
fn recorded(lesson: &str, case: &str, args: &[&str]) -> CaseTimeline {
    let output = checker()
        .args([lesson, "--timeline", "--format", "json"])
        .args(args)
        .output()
        .expect("checker runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let found = report["lessons"][0]["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"].as_str().is_some_and(|n| n.starts_with(case)))
        .unwrap_or_else(|| panic!("no case {case}"))
        .clone();
    let json = &found["timeline"];
    let data: Timeline = serde_json::from_value(json.clone()).expect("a timeline in the report");
    let stdout = json["stdout"]
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .map(|l| {
                    (
                        l[0].as_f64().unwrap_or(0.0),
                        l[1].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    CaseTimeline {
        case: found["name"].as_str().unwrap_or("").to_string(),
        expected: json["expected"].as_str().map(str::to_string),
        stdout,
        data,
    }
}

fn corpus(variant: &str) -> Vec<String> {
    let path = runner("corpus");
    vec![
        "--runner".into(),
        path.display().to_string(),
        "--variant".into(),
        variant.into(),
    ]
}

fn args(owned: &[String]) -> Vec<&str> {
    owned.iter().map(String::as_str).collect()
}

/// Every time replaced by its rank among the distinct times; rows sorted by (start, end).
fn by_rank(mut t: CaseTimeline) -> CaseTimeline {
    let d = &mut t.data;
    let mut times: Vec<f64> = Vec::new();
    times.extend(
        d.calls
            .iter()
            .flat_map(|c| [Some(c.start), c.end])
            .flatten(),
    );
    times.extend(
        d.tasks
            .iter()
            .flat_map(|x| [Some(x.start), x.end])
            .flatten(),
    );
    times.extend(
        d.timers
            .iter()
            .flat_map(|x| [Some(x.start), x.deadline, x.end])
            .flatten(),
    );
    times.extend(t.stdout.iter().map(|(at, _)| *at));
    times.extend(d.items.iter().copied());
    times.sort_by(f64::total_cmp);
    // Times within one tick (1 ms) are one rank: a sleep's deadline is exact, but it wakes on
    // the next tick, so its end can lie just after its deadline; whether it does depends on
    // the random delay drawn, and the picture must not.
    const TICK: f64 = 0.001 + 1e-9;
    times.dedup_by(|a, b| (*a - *b).abs() < TICK);
    let rank = |x: f64| {
        times
            .iter()
            .position(|&t| (t - x).abs() < TICK)
            .unwrap_or(0) as f64
    };
    for c in &mut d.calls {
        c.start = rank(c.start);
        c.end = c.end.map(rank);
    }
    for x in &mut d.tasks {
        x.start = rank(x.start);
        x.end = x.end.map(rank);
        x.busy = 0.0;
        x.polls = 0;
    }
    for x in &mut d.timers {
        x.start = rank(x.start);
        x.deadline = x.deadline.map(rank);
        x.end = x.end.map(rank);
    }
    for (at, _) in &mut t.stdout {
        *at = rank(*at);
    }
    d.tasks.sort_by(|a, b| {
        a.start
            .total_cmp(&b.start)
            .then(a.end.unwrap_or(0.0).total_cmp(&b.end.unwrap_or(0.0)))
    });
    d.timers.sort_by(|a, b| {
        a.start.total_cmp(&b.start).then(
            a.deadline
                .unwrap_or(0.0)
                .total_cmp(&b.deadline.unwrap_or(0.0)),
        )
    });
    t
}

#[test]
fn wait_n_sequential_beside_concurrent() {
    let sequential = by_rank(recorded(
        "wait_n",
        "ten delays",
        &args(&corpus("wait_n_sequential")),
    ));
    let concurrent = by_rank(recorded("wait_n", "ten delays", &["--solutions"]));
    insta::assert_snapshot!(
        "wait_n_sequential_vs_concurrent",
        format!(
            "sequential (corpus wait_n_sequential), times as ranks:\n{}\nconcurrent (solutions), times as ranks:\n{}",
            render(&sequential, LOOK, 2),
            render(&concurrent, LOOK, 2)
        )
    );
    assert_eq!(sequential.most_at_once(), 1);
    assert_eq!(concurrent.most_at_once(), 10);
}

#[test]
fn fetch_in_background_awaiting_its_task_first() {
    let t = recorded(
        "tasks",
        "fetch_in_background works",
        &args(&corpus("tasks_await_first")),
    );
    insta::assert_snapshot!("tasks_await_first", render(&t, LOOK, 2));
}

#[test]
fn say_hello_printing_then_sleeping_after() {
    let t = recorded("say_hello", "", &args(&corpus("say_hello_sleep_after")));
    insta::assert_snapshot!("say_hello_sleep_after", render(&t, LOOK, 2));
}

#[test]
fn wait_bounded_with_its_limit_respected_and_not() {
    let right = recorded("wait_bounded", "four waits", &["--solutions"]);
    let batches = recorded(
        "wait_bounded",
        "four waits",
        &args(&corpus("wait_bounded_batches")),
    );
    insta::assert_snapshot!(
        "wait_bounded_semaphore_vs_batches",
        format!(
            "semaphore (solutions):\n{}\nbatches (corpus wait_bounded_batches):\n{}",
            render(&right, LOOK, 2),
            render(&batches, LOOK, 2)
        )
    );
    assert_eq!(right.end(), 5.0);
    assert_eq!(batches.end(), 5.5);
}

#[test]
fn the_trace_holds_each_semaphore_once_with_its_place_and_each_reset_of_a_timer() {
    // The reference makes one semaphore; tokio opens a second, placeless span inside it.
    let right = recorded("wait_bounded", "four waits", &["--solutions"]);
    let kinds: Vec<(&str, &str)> = right
        .data
        .resources
        .iter()
        .map(|r| (r.kind.as_str(), r.at.as_str()))
        .collect();
    assert_eq!(kinds.len(), 1, "{kinds:?}");
    assert_eq!(kinds[0].0, "Semaphore");
    assert!(kinds[0].1.contains("13_wait_bounded.rs:"), "{kinds:?}");
    // One per wait when each task makes its own.
    let own = recorded(
        "wait_bounded",
        "four waits",
        &args(&corpus("wait_bounded_semaphore_per_task")),
    );
    assert_eq!(own.data.resources.len(), 4, "{:?}", own.data.resources);
    // An interval is one timer at the student's line, due at once, then re-armed at each
    // later tick: four works, ticks at 0, 1, 2 and 3 s.
    let ticks = recorded("tick_every", "work shorter", &["--solutions"]);
    let intervals: Vec<_> = ticks.data.timers.iter().filter(|t| t.interval).collect();
    assert_eq!(intervals.len(), 1, "{:?}", ticks.data.timers);
    let interval = intervals[0];
    assert!(interval.at.contains("18_tick_every.rs:"), "{interval:?}");
    assert_eq!((interval.start, interval.resets), (0.0, 3), "{interval:?}");
    assert_eq!(interval.deadline, Some(3.0), "{interval:?}");
    // Its ticks are its resets; elapsed polls are counted for plain timers only.
    assert_eq!(interval.ready_polls, 0, "{interval:?}");
    // The work's sleeps are timers of their own, never resets.
    assert!(
        ticks
            .data
            .timers
            .iter()
            .filter(|t| !t.interval)
            .all(|t| t.resets == 0)
    );
}

#[test]
fn the_trace_says_how_each_task_ended_returned_aborted_or_still_running() {
    use asynclings_runner::timeline::TaskEnd;
    // The reference's worker finishes its job and returns after the stop.
    let right = recorded("finish_then_stop", "stopped during", &["--solutions"]);
    let ends: Vec<_> = right.data.tasks.iter().map(|t| t.ended).collect();
    assert_eq!(ends, [Some(TaskEnd::Returned)], "{:?}", right.data.tasks);
    // Every sleep that fired was polled once after it fired, not again.
    let fired: Vec<u32> = right.data.timers.iter().map(|t| t.ready_polls).collect();
    assert!(
        fired.contains(&1) && fired.iter().all(|&n| n <= 1),
        "{:?}",
        right.data.timers
    );
    // Aborted at the stop, in the middle of its second job.
    let aborted = recorded(
        "finish_then_stop",
        "stopped during",
        &args(&corpus("finish_then_stop_abort")),
    );
    let task = &aborted.data.tasks[0];
    assert_eq!(
        (task.ended, task.end),
        (Some(TaskEnd::Aborted), Some(2.5)),
        "{task:?}"
    );
    // A ticker whose handle was dropped: alive when the case ended, with no end at all.
    let dropped = recorded(
        "stop_ticker",
        "",
        &args(&corpus("stop_ticker_dropped_handle")),
    );
    let task = &dropped.data.tasks[0];
    assert_eq!((task.ended, task.end), (None, None), "{task:?}");
    // The reference aborts its ticker at the stop.
    let ticker = recorded("stop_ticker", "", &["--solutions"]);
    assert_eq!(
        ticker.data.tasks[0].ended,
        Some(TaskEnd::Aborted),
        "{:?}",
        ticker.data.tasks
    );
}

/// A spec directory with one wait_n case of `n` waits.
fn big_wait_n_spec(n: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = format!(
        r#"lesson = "wait_n"
title = "Many waits"
file = "06_wait_n.rs"
function = "wait_n"
hint = "JoinSet"

[[case]]
name = "{n} waits"
args = {{ n = {n}, max_delay = 10 }}
[case.expect]
len = "n"
"#
    );
    std::fs::write(dir.path().join("06_wait_n.toml"), spec).expect("spec written");
    dir
}

#[test]
fn ten_thousand_tasks_become_a_density_band() {
    let spec = big_wait_n_spec(10_000);
    let specs = spec.path().display().to_string();
    let t = by_rank(recorded(
        "wait_n",
        "10000",
        &["--solutions", "--specs", &specs],
    ));
    assert_eq!(t.data.tasks.len(), 10_000);
    let drawn = render(&t, LOOK, 2);
    assert!(drawn.lines().count() < 10, "{drawn}");
    assert!(drawn.contains("10000 tasks"), "{drawn}");
    // The delays are random: the snapshot keeps the rows and words, with every number as N
    // and every run of bar, shade or axis characters as one ▒.
    let frame: String = drawn
        .lines()
        .map(|line| {
            let mut out = String::new();
            for c in line.chars() {
                let c = if c.is_ascii_digit() {
                    'N'
                } else if "▁▂▃▄▅▆▇█─┴".contains(c) {
                    '▒'
                } else {
                    c
                };
                if !(matches!(c, 'N' | '▒' | ' ') && out.ends_with(c)) {
                    out.push(c);
                }
            }
            // A label cut short (`…`) ends wherever its numbers' digits leave room: drop the
            // word it was cut in, so that the frame does not depend on how many digits they had.
            match out.find('…') {
                Some(at) => {
                    let head = &out[..at];
                    let word = head.rfind(' ').map_or(0, |space| space + 1);
                    format!("{}{}", &head[..word], &out[at..])
                }
                None => out,
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("ten_thousand_tasks", frame);
}

fn html_of(lesson: &str, case: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("timeline.html");
    let output = checker()
        .args(["timeline", lesson, "--case", case, "--html"])
        .arg(&path)
        .args(extra)
        .output()
        .expect("checker runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, path)
}

/// Parses the page as XML; returns the classes of every `rect`, and whether it asks for
/// anything over the network.
fn parse(page: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(page);
    let mut classes = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.name().as_ref() == b"rect" =>
            {
                let class = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"class")
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                    .unwrap_or_default();
                classes.push(class);
            }
            Ok(_) => {}
            Err(e) => panic!(
                "the page is not well-formed at {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    classes
}

#[test]
fn the_html_page_parses_and_has_one_bar_per_task() {
    let (_dir, path) = html_of("wait_n", "ten delays", &["--solutions"]);
    let page = std::fs::read_to_string(&path).expect("page written");
    let classes = parse(&page);
    assert_eq!(classes.iter().filter(|c| *c == "bar task").count(), 10);
    assert_eq!(classes.iter().filter(|c| *c == "bar call").count(), 1);
    for remote in ["http://", "https://", "src=", "href="] {
        let outside = page
            .replace("http://www.w3.org/2000/svg", "")
            .replace("http://www.w3.org/1999/xhtml", "");
        assert!(
            !outside.contains(remote),
            "the page asks the network: {remote}"
        );
    }
    assert!(
        page.contains("06_wait_n.rs:"),
        "hover shows where tasks were spawned"
    );
}

/// Renders `page` in headless Chromium and writes a PNG screenshot to `png`.
pub fn screenshot(page: &Path, png: &Path, size: (u32, u32)) {
    let profile = tempfile::tempdir().expect("profile dir");
    let output = StdCommand::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        png.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Pixels of the PNG: (width, height, RGBA or RGB bytes, bytes per pixel).
fn pixels(png: &Path) -> (u32, u32, Vec<u8>, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png).expect("png"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buffer).expect("a frame");
    let channels = info.color_type.samples();
    buffer.truncate(info.buffer_size());
    (info.width, info.height, buffer, channels)
}

#[test]
fn chromium_draws_the_bars() {
    let (dir, path) = html_of("wait_n", "ten delays", &["--solutions"]);
    let png = dir.path().join("shot.png");
    screenshot(&path, &png, (1100, 600));
    let (width, height, bytes, channels) = pixels(&png);
    assert!(width > 0 && height > 0);
    let colors: std::collections::HashSet<&[u8]> =
        bytes.chunks(channels).map(|p| &p[..3]).collect();
    assert!(
        colors.len() > 10,
        "the screenshot is blank ({} colors)",
        colors.len()
    );
    // The task bars' blue (#2f7fc1), give or take antialiasing.
    let blue = bytes
        .chunks(channels)
        .filter(|p| {
            p[0].abs_diff(0x2f) < 12 && p[1].abs_diff(0x7f) < 12 && p[2].abs_diff(0xc1) < 12
        })
        .count();
    assert!(
        blue > 2_000,
        "no task bars in the screenshot ({blue} blue pixels)"
    );
}

/// Regenerates the screenshot in docs/ (sequential beside concurrent wait_n):
/// `cargo test -p checker --test it -- --ignored timeline::docs_screenshot`.
#[test]
#[ignore = "writes docs/timeline-wait_n.png"]
fn docs_screenshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sequential = recorded("wait_n", "five delays", &args(&corpus("wait_n_sequential")));
    let concurrent = recorded("wait_n", "five delays", &["--solutions"]);
    let page = checker::timeline::html::page_with_axis(
        "wait_n: sequential (a mistake) and concurrent (the reference)",
        &[
            ("sequential: corpus wait_n_sequential".into(), sequential),
            ("concurrent: solutions".into(), concurrent),
        ],
        true,
    );
    let path = dir.path().join("page.html");
    std::fs::write(&path, page).expect("page");
    screenshot(&path, &root().join("docs/timeline-wait_n.png"), (1050, 610));
}
