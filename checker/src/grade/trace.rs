//! The trace of a failing call, for its diagnoses: what tasks and timers the call made, when,
//! and where in the lesson's file.
//!
//! A call case that fails is run once more with recording on (the same runner, the same
//! seed, `CaseRequest::record`), and its diagnoses read the trace of that run as variables
//! (`docs/specs.md`, "Names"): `spawn_sites`, `spawn_times`, `timer_sites`, `timer_starts`,
//! `timer_deadlines`, `resource_kinds`, `resource_sites`, `interval_sites`, `task_ends`,
//! `aborted_sites`, `aborted_times`, `running_sites`, `repolled_sites`, `most_waiting`. A passing case is never recorded, so grading a passing suite costs
//! nothing more.

use asynclings_runner::timeline::{TaskEnd, TaskRecord, Timeline};

use crate::expr::{Value, Vars};
use crate::spec::{Case, CaseKind};

/// Cases with an argument of this size or more (`n = 1e6`, a list that long) are not recorded
/// automatically: a recorded call takes about 1.5x the time and 1.7x the memory of a graded
/// one there (the subscriber enables tokio's spans until its record is full). `checker
/// timeline` still draws them when asked.
pub const AUTOMATIC_LIMIT: u64 = 100_000;

/// Whether a case is too large to be recorded automatically ([`AUTOMATIC_LIMIT`]).
pub fn too_large(case: &Case) -> bool {
    let CaseKind::Call(call) = &case.kind else {
        return false;
    };
    call.args.values().any(|value| match value {
        serde_json::Value::Number(n) => n.as_f64().is_some_and(|n| n >= AUTOMATIC_LIMIT as f64),
        serde_json::Value::Array(items) => items.len() as u64 >= AUTOMATIC_LIMIT,
        _ => false,
    })
}

/// `file:line:column` as tokio records a caller's location, shown as `file_name:line` (the
/// folders are the build's, not the student's).
pub fn site(at: &str) -> String {
    let mut parts = at.rsplitn(3, ':');
    let (_column, line, file) = (parts.next(), parts.next(), parts.next());
    match (file, line) {
        (Some(file), Some(line)) => {
            let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
            format!("{name}:{line}")
        }
        _ => at.to_string(),
    }
}

/// Sets the trace's variables in `vars`, times in seconds after the first call started (as
/// `line_times`); a timer never awaited has deadline -1.
pub fn set_vars(vars: &mut Vars, trace: &Timeline) {
    let origin = trace.calls.first().map_or(0.0, |call| call.start);
    let texts = |items: Vec<String>| Value::List(items.into_iter().map(Value::Text).collect());
    let numbers = |items: Vec<f64>| Value::List(items.into_iter().map(Value::Num).collect());
    vars.set(
        "spawn_sites",
        texts(trace.tasks.iter().map(|t| site(&t.at)).collect()),
    );
    vars.set(
        "spawn_times",
        numbers(trace.tasks.iter().map(|t| t.start - origin).collect()),
    );
    vars.set(
        "timer_sites",
        texts(trace.timers.iter().map(|t| site(&t.at)).collect()),
    );
    vars.set(
        "timer_starts",
        numbers(trace.timers.iter().map(|t| t.start - origin).collect()),
    );
    vars.set(
        "interval_sites",
        texts(
            trace
                .timers
                .iter()
                .filter(|t| t.interval)
                .map(|t| site(&t.at))
                .collect(),
        ),
    );
    vars.set(
        "task_ends",
        texts(
            trace
                .tasks
                .iter()
                .map(|t| end_word(t).to_string())
                .collect(),
        ),
    );
    let aborted = || {
        trace
            .tasks
            .iter()
            .filter(|t| t.ended == Some(TaskEnd::Aborted))
    };
    vars.set(
        "aborted_sites",
        texts(aborted().map(|t| site(&t.at)).collect()),
    );
    vars.set(
        "aborted_times",
        numbers(aborted().map(|t| t.end.unwrap_or(0.0) - origin).collect()),
    );
    vars.set(
        "running_sites",
        texts(
            trace
                .tasks
                .iter()
                .filter(|t| t.end.is_none())
                .map(|t| site(&t.at))
                .collect(),
        ),
    );
    vars.set(
        "repolled_sites",
        texts(
            trace
                .timers
                .iter()
                .filter(|t| !t.interval && t.ready_polls > t.resets + 1)
                .map(|t| site(&t.at))
                .collect(),
        ),
    );
    vars.set("most_waiting", Value::Num(most_waiting(trace) as f64));
    let resources = &trace.resources;
    vars.set(
        "resource_kinds",
        texts(resources.iter().map(|r| r.kind.clone()).collect()),
    );
    vars.set(
        "resource_sites",
        texts(resources.iter().map(|r| site(&r.at)).collect()),
    );
    vars.set(
        "timer_deadlines",
        numbers(
            trace
                .timers
                .iter()
                .map(|t| t.deadline.map_or(-1.0, |d| d - origin))
                .collect(),
        ),
    );
}

/// The most timers (not intervals) alive at one time: waits that overlapped. A timer lives
/// from its creation to its drop (to the end of the trace when never dropped); one dropped
/// at the instant another is created does not overlap it.
pub fn most_waiting(trace: &Timeline) -> usize {
    let mut events: Vec<(f64, i32)> = Vec::new();
    for timer in trace.timers.iter().filter(|t| !t.interval) {
        events.push((timer.start, 1));
        events.push((timer.end.unwrap_or(f64::INFINITY), -1));
    }
    // Ends before starts at the same instant.
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut alive, mut most) = (0i32, 0i32);
    for (_, change) in events {
        alive += change;
        most = most.max(alive);
    }
    most.max(0) as usize
}

/// How a task ended, as `task_ends` says it: `returned`, `panicked`, `aborted`, `running`
/// (alive when the recording was taken), or `ended` (ended, how unknown: past the recording's
/// limit).
fn end_word(task: &TaskRecord) -> &'static str {
    match (task.end, task.ended) {
        (None, _) => "running",
        (Some(_), Some(end)) => end.as_str(),
        (Some(_), None) if task.panic.is_some() => "panicked",
        (Some(_), None) => "ended",
    }
}

/// The tasks of `trace` still running at its end, grouped by spawn site in spawn order, in
/// words ([`message::waiting_tasks`](super::message::waiting_tasks)); times after the first
/// call started. At most five groups are named, then how many more.
pub fn still_waiting(trace: &Timeline) -> Vec<String> {
    struct Group {
        site: String,
        count: usize,
        last: Option<f64>,
        waits: Vec<String>,
    }
    let origin = trace.calls.first().map_or(0.0, |call| call.start);
    let mut groups: Vec<Group> = Vec::new();
    for task in trace.tasks.iter().filter(|t| t.end.is_none()) {
        let at = site(&task.at);
        let last = task.last_poll.map(|t| t - origin);
        let waits = task
            .waits_on
            .iter()
            .filter_map(|&i| trace.resources.get(i))
            .map(|r| super::message::resource(&r.kind, &site(&r.at)));
        let index = match groups.iter().position(|g| g.site == at) {
            Some(index) => index,
            None => {
                groups.push(Group {
                    site: at,
                    count: 0,
                    last: None,
                    waits: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[index];
        group.count += 1;
        group.last = match (group.last, last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for wait in waits {
            if !group.waits.contains(&wait) {
                group.waits.push(wait);
            }
        }
    }
    let more = groups.len().saturating_sub(5);
    let mut words: Vec<String> = groups
        .iter()
        .take(5)
        .map(|g| super::message::waiting_tasks(&g.site, g.count, g.last, &g.waits))
        .collect();
    if more > 0 {
        words.push(format!("and tasks of {more} more places"));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_waiting_counts_overlapping_timers_only() {
        use asynclings_runner::timeline::TimerRecord;
        let timer = |start: f64, end: Option<f64>| TimerRecord {
            start,
            end,
            ..TimerRecord::default()
        };
        let mut trace = Timeline {
            timers: vec![
                timer(0.0, Some(1.0)),
                timer(0.0, Some(2.0)),
                timer(1.0, Some(3.0)),
                timer(2.0, None),
            ],
            ..Timeline::default()
        };
        assert_eq!(most_waiting(&trace), 2);
        trace.timers.push(timer(0.5, Some(0.75)));
        assert_eq!(most_waiting(&trace), 3);
        assert_eq!(most_waiting(&Timeline::default()), 0);
    }

    #[test]
    fn sites_keep_the_file_name_and_line() {
        assert_eq!(
            site("/work/x/exercises/src/17_produce_consume.rs:22:9"),
            "17_produce_consume.rs:22"
        );
        assert_eq!(site(r"C:\w\src\15_race.rs:3:1"), "15_race.rs:3");
        assert_eq!(site("odd"), "odd");
    }

    #[test]
    fn tasks_still_waiting_are_grouped_by_site_with_their_last_run() {
        use asynclings_runner::timeline::{ResourceRecord, Span, TaskRecord};
        let task = |at: &str, end: Option<f64>, last_poll: Option<f64>| TaskRecord {
            at: at.into(),
            end,
            last_poll,
            ..TaskRecord::default()
        };
        let fork = |at: &str| ResourceRecord {
            kind: "Mutex".into(),
            at: at.into(),
            ..ResourceRecord::default()
        };
        let waiting = |at: &str, fork: usize| TaskRecord {
            waits_on: vec![fork],
            ..task(at, None, Some(1.0))
        };
        let trace = Timeline {
            calls: vec![Span {
                start: 0.0,
                end: None,
            }],
            tasks: vec![
                waiting("/w/src/20_dining.rs:14:9", 1),
                task("/w/src/20_dining.rs:14:9", None, Some(0.5)),
                waiting("/w/src/20_dining.rs:14:9", 0),
                task("/w/src/20_dining.rs:30:5", Some(2.0), Some(2.0)),
                task("/w/src/20_dining.rs:40:5", None, None),
            ],
            resources: vec![
                fork("/w/src/20_dining.rs:9:20"),
                fork("/w/src/20_dining.rs:9:20"),
            ],
            ..Timeline::default()
        };
        assert_eq!(
            still_waiting(&trace),
            [
                "3 tasks spawned at 20_dining.rs:14 (last ran at 1 s, waiting for the Mutex created at 20_dining.rs:9)",
                "the task spawned at 20_dining.rs:40 (never ran)",
            ]
        );
    }
}
