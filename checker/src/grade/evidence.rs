//! Diagnoses from evidence: what the source shows (with syn) and what the call's trace
//! recorded, each naming the mechanism and its line. They are tried before the specs'
//! `[[diagnose]]` rules, which read the call's outputs; a fact here is never a guess from a
//! symptom: each function returns `None` unless its evidence is present.

use super::message;
use super::source::Facts;

/// A diagnosis the source alone grounds, for a call that failed: a flag the task copied.
pub fn from_source(facts: &Facts) -> Option<String> {
    let (file, local) = facts.copied.first()?;
    Some(message::copied_local(
        file,
        &local.name,
        local.declared,
        local.captured,
        local.assigned,
    ))
}
