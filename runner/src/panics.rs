//! Records the first panic of a case, wherever it happens (the call itself or any task).

use std::panic::PanicHookInfo;
use std::sync::Mutex;

/// The first panic seen.
static FIRST_PANIC: Mutex<Option<FirstPanic>> = Mutex::new(None);

/// A recorded panic.
#[derive(Debug, Clone)]
pub struct FirstPanic {
    /// The panic message.
    pub message: String,
    /// `file:line:column`, when known.
    pub location: Option<String>,
    /// Seconds on the case's clock when it happened.
    pub at: f64,
}

/// Replaces the default hook (which prints to stderr) with one that records the first panic.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        let message = if let Some(text) = info.payload().downcast_ref::<&str>() {
            (*text).to_string()
        } else if let Some(text) = info.payload().downcast_ref::<String>() {
            text.clone()
        } else {
            "a panic with a non-text payload".to_string()
        };
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        eprintln!(
            "panicked at {}: {message}",
            location.as_deref().unwrap_or("?")
        );
        crate::timeline::task_panicked(&message);
        let mut first = FIRST_PANIC.lock().unwrap_or_else(|e| e.into_inner());
        if first.is_none() {
            *first = Some(FirstPanic {
                message,
                location,
                at: crate::watchdog::CLOCK.clock(),
            });
        }
    }));
}

/// The first panic recorded, if any.
pub fn first_panic() -> Option<FirstPanic> {
    FIRST_PANIC
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}

/// Whether a panic message is the one `todo!()` or `unimplemented!()` produce.
pub fn is_not_implemented(message: &str) -> bool {
    message.starts_with("not yet implemented") || message.starts_with("not implemented")
}
