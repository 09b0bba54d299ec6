//! Diagnoses from evidence: what the source shows (with syn) and what the call's trace
//! recorded, each naming the mechanism and its line. They are tried before the specs'
//! `[[diagnose]]` rules, which read the call's outputs; a fact here is never a guess from a
//! symptom: each function returns `None` unless its evidence is present.

use asynclings_runner::timeline::Timeline;

use super::message;
use super::source::Facts;

/// A diagnosis the trace alone grounds, for a call that returned and failed: a task that
/// panicked while the call went on (its panic reached no one: nobody awaited its handle, or
/// the call did not pass the error on), with its spawn site and its message.
pub fn from_trace(trace: &Timeline) -> Option<String> {
    let origin = trace.calls.first().map_or(0.0, |call| call.start);
    let task = trace.tasks.iter().find(|t| t.panic.is_some())?;
    Some(message::task_panicked(
        &super::trace::site(&task.at),
        task.end.map(|end| end - origin),
        task.panic.as_deref().unwrap_or_default(),
    ))
}

/// What the call showed that a source fact needs beside it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    /// A number among the case's arguments has a fraction (`2.5`): whole seconds lose it.
    pub fractional_args: bool,
    /// The call returned numbers, every one whole: a reading in whole seconds shows.
    pub whole_values: bool,
}

impl Seen {
    /// Every fact allowed (for tests).
    pub const ALL: Seen = Seen {
        fractional_args: true,
        whole_values: true,
    };
}

/// A diagnosis the source alone grounds, for a call that failed: one of tokio's clock
/// controls called on the checker's paused clock (whatever the call then showed: a panic in
/// a task, a wrong time), seconds cut to whole ones (when the case's arguments hold a
/// fraction), a duration read in whole seconds (when every value returned is whole), a permit
/// left in the spawning loop, or a flag the task copied.
pub fn from_source(facts: &Facts, seen: Seen) -> Option<String> {
    let uses = |name: &str| facts.uses.iter().any(|u| u == name);
    if let Some(call) = ["advance", "resume", "pause"]
        .into_iter()
        .find(|call| uses(&format!("tokio::time::{call}")))
    {
        return Some(message::moved_the_clock_by(call));
    }
    if seen.fractional_args
        && let Some((file, cast)) = facts.whole_seconds.first()
    {
        return Some(message::whole_seconds(file, cast.line, &cast.operand));
    }
    if seen.whole_values
        && let Some((file, reading)) = facts.as_secs.first()
    {
        return Some(message::as_secs(file, reading.line, &reading.operand));
    }
    if let Some((file, permit)) = facts.permits_left.first() {
        return Some(message::permit_left(file, permit.line, &permit.name));
    }
    let (file, local) = facts.copied.first()?;
    Some(message::copied_local(
        file,
        &local.name,
        local.declared,
        local.captured,
        local.assigned,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::captured::CopiedLocal;

    #[test]
    fn the_source_grounds_a_clock_control_and_a_copied_flag_and_nothing_else() {
        let mut facts = Facts::default();
        assert_eq!(from_source(&facts, Seen::ALL), None);
        facts.uses = vec!["tokio::time::pause".into(), "pause".into()];
        assert!(
            from_source(&facts, Seen::ALL)
                .unwrap()
                .contains("`tokio::time::pause` itself")
        );
        // A function of another crate named `pause` is not tokio's.
        facts.uses = vec!["pause".into()];
        assert_eq!(from_source(&facts, Seen::ALL), None);
        facts.copied = vec![(
            "19_finish_then_stop.rs".into(),
            CopiedLocal {
                name: "stopping".into(),
                declared: 3,
                captured: 8,
                assigned: 20,
            },
        )];
        let said = from_source(&facts, Seen::default()).unwrap();
        assert!(said.contains("19_finish_then_stop.rs:8"), "{said}");
        assert!(said.contains("its own copy of `stopping`"), "{said}");
        assert!(said.contains("line 20"), "{said}");
        // Whole seconds, only where the case has a fraction to lose.
        facts.whole_seconds = vec![(
            "13_wait_bounded.rs".into(),
            crate::grade::truncated::WholeSeconds {
                line: 17,
                operand: "delay".into(),
            },
        )];
        let said = from_source(&facts, Seen::ALL).unwrap();
        assert!(said.contains("13_wait_bounded.rs:17"), "{said}");
        assert!(said.contains("`delay`"), "{said}");
        assert!(
            from_source(&facts, Seen::default())
                .unwrap()
                .contains("own copy")
        );
    }

    #[test]
    fn the_trace_grounds_a_lost_panic_with_its_task_and_message() {
        use asynclings_runner::timeline::{Span, TaskRecord};
        let mut trace = Timeline {
            calls: vec![Span {
                start: 0.0,
                end: Some(5.0),
            }],
            tasks: vec![TaskRecord {
                at: "/w/src/19_finish_then_stop.rs:16:18".into(),
                end: Some(1.25),
                ..TaskRecord::default()
            }],
            ..Timeline::default()
        };
        assert_eq!(from_trace(&trace), None, "no task panicked");
        trace.tasks[0].panic = Some("index out of bounds".into());
        let said = from_trace(&trace).unwrap();
        assert!(
            said.starts_with("the task spawned at 19_finish_then_stop.rs:16 panicked at 1.25 s (\"index out of bounds\")"),
            "{said}"
        );
    }
}
