//! The batch's progress on stderr.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress on stderr: a bar with an ETA on a terminal, one plain line per submission
/// otherwise (CI logs).
pub(super) struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: std::sync::atomic::AtomicUsize,
}

impl Progress {
    /// Progress of `total` submissions: a bar when `bar` (stderr is a terminal).
    pub(super) fn new(total: usize, bar: bool) -> Self {
        let bar = bar.then(|| {
            let style = ProgressStyle::with_template(
                "{spinner} {elapsed:>4} [{bar:24}] {pos}/{len} submissions, ETA {eta}  {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▌░");
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
                    .with_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            total,
            done: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    pub(super) fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(text.to_string()),
            None => eprintln!("grade-many: {text}"),
        }
    }

    pub(super) fn done(&self, line: &str) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => {
                bar.set_position(done as u64);
                bar.set_message(crate::text::safe::line(line));
            }
            None => eprintln!(
                "grade-many: [{done}/{}] {}",
                self.total,
                crate::text::safe::line(line)
            ),
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
