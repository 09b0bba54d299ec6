//! Timelines: what ran when during a case, on its clock, recorded by the runner that graded
//! it ([`record`]) and drawn for a terminal ([`term`]) and a browser ([`html`]).
//!
//! Grading records nothing. When a timeline is asked for (`checker timeline`, `--html`,
//! `--timeline`) or a timing expectation fails, the cases concerned run once more on the same
//! runner, with recording switched on in their request: the runner is always built with
//! tokio's tracing (`--cfg tokio_unstable` and its `timeline` feature), so there is no second
//! build, and lesson code cannot tell a recorded call from a graded one when it is compiled.
//! The verdict is always the graded run's.

pub mod html;
pub mod record;
pub mod term;

use crate::results::CaseTimeline;
use crate::spec::{Case, CaseKind};

/// What a row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A call of the function.
    Call,
    /// A spawned task.
    Task,
    /// A timer awaited outside any spawned task (`join!`, `join_all`, a plain `sleep`).
    Timer,
}

/// One bar of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What it is.
    pub kind: Kind,
    /// Short label (`task 3`, `sleep`).
    pub label: String,
    /// Where in the source, `file:line`.
    pub at: String,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds (the case's end when it never ended).
    pub end: f64,
    /// Whether it had not ended when the case did.
    pub open: bool,
    /// For a task: the times it waited on its own timers (drawn solid; the rest of its life,
    /// waiting on something else or ready, is drawn thin).
    pub inner: Vec<(f64, f64)>,
}

/// When a timer stops counting: its deadline, or when it was dropped if earlier.
fn timer_stop(timer: &asynclings_runner::timeline::TimerRecord, end: f64) -> f64 {
    let stop = match (timer.deadline, timer.end) {
        (Some(deadline), Some(dropped)) => deadline.min(dropped),
        (Some(deadline), None) => deadline,
        (None, Some(dropped)) => dropped,
        (None, None) => end,
    };
    stop.max(timer.start)
}

impl CaseTimeline {
    /// The bars to draw: calls, then tasks, then timers that belong to no spawned task.
    ///
    /// A timer created inside a spawned task is drawn by that task's bar; a timer created
    /// by the call itself is a bar of its own, which is how `join!` shows its concurrency.
    pub fn bars(&self) -> Vec<Bar> {
        let end = self.end();
        let mut bars = Vec::new();
        for (i, call) in self.data.calls.iter().enumerate() {
            bars.push(Bar {
                kind: Kind::Call,
                label: if self.data.calls.len() > 1 {
                    format!("call {}", i + 1)
                } else {
                    "call".into()
                },
                at: String::new(),
                start: call.start,
                end: call.end.unwrap_or(end),
                open: call.end.is_none(),
                inner: Vec::new(),
            });
        }
        let mut timers_of: std::collections::HashMap<u64, Vec<(f64, f64)>> = Default::default();
        for timer in &self.data.timers {
            if let Some(task) = timer.task {
                timers_of
                    .entry(task)
                    .or_default()
                    .push((timer.start, timer_stop(timer, end)));
            }
        }
        for (i, task) in self.data.tasks.iter().enumerate() {
            bars.push(Bar {
                inner: timers_of.remove(&task.id).unwrap_or_default(),
                kind: Kind::Task,
                label: format!("task {}", i + 1),
                at: short_location(&task.at),
                start: task.start,
                end: task.end.unwrap_or(end),
                open: task.end.is_none(),
            });
        }
        let task_spans: Vec<(f64, f64)> = self
            .data
            .tasks
            .iter()
            .map(|t| (t.start, t.end.unwrap_or(end)))
            .collect();
        for timer in &self.data.timers {
            if timer.task.is_some() && !task_spans.is_empty() {
                continue;
            }
            bars.push(Bar {
                kind: Kind::Timer,
                // An interval lives across its ticks: its bar runs to its last tick.
                label: if timer.interval { "interval" } else { "sleep" }.into(),
                at: short_location(&timer.at),
                start: timer.start,
                end: timer_stop(timer, end),
                open: timer.end.is_none(),
                inner: Vec::new(),
            });
        }
        bars
    }

    /// The last time anything happened.
    pub fn end(&self) -> f64 {
        let d = &self.data;
        let ends = d.calls.iter().filter_map(|c| c.end.or(Some(c.start)));
        let tasks = d.tasks.iter().map(|t| t.end.unwrap_or(t.start));
        // A timer dropped before its deadline (the loser of a `select!`, the sleep of an
        // aborted task) ended when it was dropped: its deadline never came.
        let timers = d.timers.iter().map(|t| match (t.deadline, t.end) {
            (Some(deadline), Some(end)) => deadline.min(end),
            (deadline, end) => deadline.or(end).unwrap_or(t.start),
        });
        let lines = self.stdout.iter().map(|(at, _)| *at);
        ends.chain(tasks)
            .chain(timers)
            .chain(lines)
            .chain(d.items.iter().copied())
            .fold(0.0, f64::max)
    }

    /// Most waits running at once: tasks sleeping (a task's whole life when it has no timer
    /// of its own) and timers of the call itself.
    pub fn most_at_once(&self) -> usize {
        let mut edges: Vec<(f64, i64)> = Vec::new();
        for bar in self.bars().iter().filter(|b| b.kind != Kind::Call) {
            let spans = if bar.inner.is_empty() {
                vec![(bar.start, bar.end)]
            } else {
                bar.inner.clone()
            };
            for (start, end) in spans {
                edges.push((start, 1));
                // A wait that ends when another starts does not overlap it.
                edges.push((end.max(start), -1));
            }
        }
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut now, mut most) = (0i64, 0i64);
        for (_, step) in edges {
            now += step;
            most = most.max(now);
        }
        most.max(0) as usize
    }
}

/// `06_wait_n.rs:12` from `exercises/src/06_wait_n.rs:12:9`.
pub fn short_location(at: &str) -> String {
    let at = at.replace('\\', "/");
    let file_and_more = at.rsplit('/').next().unwrap_or(&at);
    let mut parts = file_and_more.split(':');
    match (parts.next(), parts.next()) {
        (Some(file), Some(line)) => format!("{file}:{line}"),
        _ => file_and_more.to_string(),
    }
}

/// Whether the case expects something of time: how long the call takes, when items or lines
/// come, or by when a task finishes. A failure of such a case gets a timeline in the report.
pub fn has_timing_expectation(case: &Case) -> bool {
    match &case.kind {
        CaseKind::Call(call) => {
            let e = &call.expect;
            e.elapsed.is_some()
                || e.arrivals.is_some()
                || e.finished_by.is_some()
                || e.stdout
                    .as_ref()
                    .is_some_and(|groups| groups.iter().any(|g| g.at.is_some()))
        }
        CaseKind::Source(_) => false,
    }
}

pub use crate::grade::trace::{AUTOMATIC_LIMIT, too_large};

/// The shape the spec implies, in words, when it implies one.
pub fn expected_shape(case: &Case) -> Option<String> {
    let CaseKind::Call(call) = &case.kind else {
        return None;
    };
    let elapsed = call.expect.elapsed.as_ref()?.text().replace(' ', "");
    let count = ["n", "delays", "max_delays", "names"]
        .iter()
        .find_map(|name| match call.args.get(*name)? {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::Array(items) => Some(items.len() as u64),
            _ => None,
        });
    let all = count.map_or("all".to_string(), |n| format!("all {n}"));
    if let Some(limit) = call.args.get("limit").and_then(|l| l.as_u64()) {
        if elapsed.contains("sum(") || limit == 1 {
            return Some("one at a time: each starts when the previous ends".into());
        }
        return Some(format!(
            "at most {limit} at once: the next starts as soon as one ends, the call takes {}",
            duration_of(call, &elapsed)?
        ));
    }
    if elapsed.contains("max(") {
        Some(format!(
            "concurrent: {all} start at 0 s; the call ends with the longest"
        ))
    } else if elapsed.contains("sum(") {
        Some("one after another: each starts when the previous ends".into())
    } else {
        Some(format!("the call takes {}", duration_of(call, &elapsed)?))
    }
}

/// The time an `elapsed` expression stands for, in words: an argument's value with its name
/// (`2.5 s (job)`), else the expression as written (`1s`, `min(delay, limit)`).
fn duration_of(call: &crate::spec::CallCase, elapsed: &str) -> Option<String> {
    let text = call.expect.elapsed.as_ref()?.text();
    Some(
        match call.args.get(elapsed).and_then(serde_json::Value::as_f64) {
            Some(seconds) => format!("{} ({elapsed})", crate::text::numbers::secs(seconds)),
            None => text.to_string(),
        },
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The expected shape of the first case of a spec whose case has `args` and `elapsed`.
    fn shape(args: &str, elapsed: &str) -> Option<String> {
        let text = format!(
            "lesson = \"race\"\ntitle = \"t\"\nfile = \"15_race.rs\"\nhint = \"h\"\nfunction = \"wait_with_progress\"\n\n[[case]]\nname = \"c\"\nargs = {{ {args} }}\nexpect = {{ elapsed = \"{elapsed}\" }}\n"
        );
        let lesson = crate::spec::load_text(Path::new("specs/15_race.toml"), &text, 15)
            .unwrap_or_else(|e| panic!("{e:?}"));
        expected_shape(&lesson.cases[0])
    }

    #[test]
    fn a_call_timed_by_an_argument_says_its_value() {
        assert_eq!(
            shape("job = 2.5", "job").as_deref(),
            Some("the call takes 2.5 s (job)")
        );
    }

    #[test]
    fn a_call_timed_by_a_literal_says_it_as_written() {
        assert_eq!(
            shape("job = 2.5", "1s").as_deref(),
            Some("the call takes 1s")
        );
    }
}
