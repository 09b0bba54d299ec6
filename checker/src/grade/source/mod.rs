//! Checks on the student's source, read with syn: comments and strings never count.
//!
//! A `[[source]]` rule names a function and lists names it must not use (`sort`,
//! `std::thread::sleep`, `BinaryHeap`) and functions it must call (`wait_random`). Paths are
//! resolved through the `use` declarations of the file and of the function body, so
//! `use std::thread; thread::sleep(..)` and `use std::thread::sleep as nap; nap(..)` are both
//! `std::thread::sleep`; a glob import (`use std::thread::*;`) gives a bare `sleep(..)` the
//! reading `std::thread::sleep` too. The rules follow the function into the helper functions it
//! calls in the same crate: in its own file, and in the crate's modules (`crate::util::nap`).
//!
//! This file reads the [`Facts`] the verdicts combine with the run; [`rules`] grades the
//! `[[source]]` rules; `collect.rs` resolves the names a function uses, and `order.rs` finds
//! the order-keeping combinators.

mod collect;
mod order;
pub mod rules;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use collect::analyze;
pub use order::OrderKeeping;

/// What a lesson function's source shows, for the verdicts that combine it with the run.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Every name used (resolved, with its prefixes and its last segment, and the readings
    /// through glob imports): the `uses` of the diagnoses' conditions.
    pub uses: Vec<String>,
    /// The names the function (and its helpers) calls, resolved.
    pub calls: Vec<Vec<String>>,
    /// An order-keeping combinator whose result is kept.
    pub order_keeping: Option<OrderKeeping>,
    /// Plain locals a `move` block copied before the function set them again, with the
    /// lesson file's name (the task never sees the new value).
    pub copied: Vec<(String, super::captured::CopiedLocal)>,
    /// Floats cast to whole seconds for `Duration::from_secs`, anywhere in the lesson's
    /// file, with the file's name.
    pub whole_seconds: Vec<(String, super::truncated::WholeSeconds)>,
    /// Durations read in whole seconds (`.as_secs()`), anywhere in the lesson's file, with
    /// the file's name.
    pub as_secs: Vec<(String, super::truncated::WholeSeconds)>,
    /// Permits the function leaves in its spawning loop, with the file's name.
    pub permits_left: Vec<(String, super::permit::PermitLeft)>,
}

/// What the source of `function` in `file` shows; empty when it cannot be read.
///
/// Every call case of a lesson asks for the same facts: within a grading run ([`forget`]
/// starts one) they are parsed once per text of the file.
pub fn facts(file: &Path, function: &str) -> Facts {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Facts::default();
    };
    let key = (file.to_path_buf(), function.to_string());
    if let Ok(memo) = MEMO.lock()
        && let Some((seen, facts)) = memo.as_ref().and_then(|m| m.get(&key))
        && *seen == text
    {
        return facts.clone();
    }
    let found = read_facts(file, function, &text);
    if let Ok(mut memo) = MEMO.lock() {
        memo.get_or_insert_with(HashMap::new)
            .insert(key, (text, found.clone()));
    }
    found
}

type Memo = HashMap<(PathBuf, String), (String, Facts)>;

/// The facts read so far in this grading run, with the text each was read from.
static MEMO: std::sync::Mutex<Option<Memo>> = std::sync::Mutex::new(None);

/// Forgets the facts read so far: a grading run starts reading afresh (a helper in another
/// file may have changed since the last run, in `watch`).
pub fn forget() {
    if let Ok(mut memo) = MEMO.lock() {
        *memo = None;
    }
}

fn read_facts(file: &Path, function: &str, text: &str) -> Facts {
    let Ok(Some(body)) = analyze(text, function, file.parent()) else {
        return Facts::default();
    };
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let copied = super::captured::copied_locals(text, function)
        .into_iter()
        .map(|local| (file_name.clone(), local))
        .collect();
    let whole_seconds = super::truncated::whole_seconds(text)
        .into_iter()
        .map(|cast| (file_name.clone(), cast))
        .collect();
    let as_secs = super::truncated::as_secs_readings(text)
        .into_iter()
        .map(|reading| (file_name.clone(), reading))
        .collect();
    let permits_left = super::permit::left_in_loop(text, function)
        .into_iter()
        .map(|permit| (file_name.clone(), permit))
        .collect();
    let mut uses = HashSet::new();
    for u in &body.uses {
        for reading in u.readings() {
            for end in 1..=reading.len() {
                uses.insert(reading[..end].join("::"));
            }
            if let Some(last) = reading.last() {
                uses.insert(last.clone());
            }
        }
    }
    let mut uses: Vec<String> = uses.into_iter().collect();
    uses.sort();
    Facts {
        uses,
        calls: body
            .uses
            .iter()
            .filter(|u| u.called)
            .map(|u| u.path.clone())
            .collect(),
        order_keeping: body.order_keeping,
        copied,
        whole_seconds,
        as_secs,
        permits_left,
    }
}
