//! The cancel handle of a grading run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Tells every part of one grading run that it is to stop: no case starts once it is
/// cancelled, and running cases end. Whoever starts a run (a grading session, `watch`) makes
/// one and hands clones down; an interrupt, or the student quitting `watch`, cancels it.
/// Cancelling cannot be undone: the next run gets a new handle.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A handle not cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels the run; returns whether it had been cancelled already.
    pub fn cancel(&self) -> bool {
        self.0.swap(true, Ordering::SeqCst)
    }

    /// Whether the run has been cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_cancellation_and_it_is_reported_once() {
        let cancel = Cancel::new();
        let clone = cancel.clone();
        assert!(!clone.is_cancelled());
        assert!(!cancel.cancel(), "the first cancel is the first");
        assert!(clone.is_cancelled());
        assert!(clone.cancel(), "the second finds it cancelled");
        assert!(!Cancel::new().is_cancelled(), "a new handle is a new run");
    }
}
