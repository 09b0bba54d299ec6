//! The checker's own wording, in one place (as trybuild keeps its wording in `message.rs`).
//!
//! Grading decides *what* happened and records it as types ([`crate::results::Reason`],
//! [`crate::grade::source::Facts`]); this module says it. Lesson-specific diagnoses live in
//! the specs' `[[diagnose]]` rules, not here.
//!
//! One submodule per kind of message; every message is used as `grade::message::NAME`. This
//! file keeps the wording of a case or lesson that was not graded, or fails through another
//! lesson. The few words the supervisor says itself (what a case went over, a scratch folder
//! left behind) are [`crate::supervise::message`]'s: `supervise` is below `grade` and cannot
//! import it; how a number of bytes is written is [`crate::text::numbers::bytes`].

mod blocked;
mod budget;
mod class;
mod expect;
mod network;
mod process;
mod source;

pub use blocked::*;
pub use budget::*;
pub use class::*;
pub use expect::*;
pub use network::*;
pub use process::*;
pub use source::*;

/// The message of a case that did not run because the run was interrupted.
pub const NOT_RUN: &str = "not run: the run was interrupted";

/// How the message of every case starts when the code under test does not build.
pub const NOT_BUILT: &str = "not graded: the code does not compile";

/// The message of a case whose own lesson's file does not compile.
pub const FILE_NOT_BUILT: &str = "this lesson's file does not compile";

/// A function that reached another lesson's `todo!()`.
pub fn calls_unimplemented(function: &str, place: &str) -> String {
    format!(
        "`{function}` calls code that is not implemented yet ({place}): finish that lesson first"
    )
}

/// A case that called the stub of lesson `number` (`lesson`), whose file does not compile.
pub fn needs_broken_lesson(number: usize, lesson: &str) -> String {
    format!(
        "needs lesson {number} ({lesson}), which does not compile yet: this lesson is graded once that file compiles"
    )
}

/// The headline of a lesson that fails because an earlier one it builds on fails.
pub fn depends_on(number: usize, id: &str, via: &str, headline: Option<&str>) -> String {
    let why = headline.map_or(String::new(), |h| format!(" ({h})"));
    format!(
        "this lesson builds on lesson {number}, {id} (it calls `{via}`), which fails{why}: fix lesson {number} first, then grade this one again"
    )
}
