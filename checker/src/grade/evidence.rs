//! Diagnoses from evidence: what the source shows (with syn) and what the call's trace
//! recorded, each naming the mechanism and its line. They are tried before the specs'
//! `[[diagnose]]` rules, which read the call's outputs; a fact here is never a guess from a
//! symptom: each function returns `None` unless its evidence is present.

use super::message;
use super::source::Facts;

/// A diagnosis the source alone grounds, for a call that failed: one of tokio's clock
/// controls called on the checker's paused clock (whatever the call then showed: a panic in
/// a task, a wrong time), or a flag the task copied.
pub fn from_source(facts: &Facts) -> Option<String> {
    let uses = |name: &str| facts.uses.iter().any(|u| u == name);
    if let Some(call) = ["advance", "resume", "pause"]
        .into_iter()
        .find(|call| uses(&format!("tokio::time::{call}")))
    {
        return Some(message::moved_the_clock_by(call));
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
        assert_eq!(from_source(&facts), None);
        facts.uses = vec!["tokio::time::pause".into(), "pause".into()];
        assert!(
            from_source(&facts)
                .unwrap()
                .contains("`tokio::time::pause` itself")
        );
        // A function of another crate named `pause` is not tokio's.
        facts.uses = vec!["pause".into()];
        assert_eq!(from_source(&facts), None);
        facts.copied = vec![(
            "19_finish_then_stop.rs".into(),
            CopiedLocal {
                name: "stopping".into(),
                declared: 3,
                captured: 8,
                assigned: 20,
            },
        )];
        let said = from_source(&facts).unwrap();
        assert!(said.contains("19_finish_then_stop.rs:8"), "{said}");
        assert!(said.contains("its own copy of `stopping`"), "{said}");
        assert!(said.contains("line 20"), "{said}");
    }
}
