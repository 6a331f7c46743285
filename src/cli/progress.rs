//! Progress of long work on a terminal: events, bytes and rate so far (`indicatif`).
//!
//! Shown only when stderr is a terminal, and only once the work has lasted
//! [`SHOW_AFTER`]: a short run prints nothing extra, and piped or redirected output (scripts,
//! tests, `--json -`) never gets a progress byte. The bar is cleared before the report prints.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::export::units;
use crate::i18n::{tf, Lang, S};

/// Work shorter than this shows no progress (the "more than about a second").
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How often the message is rewritten: often enough to look alive, cheap per batch.
const EVERY: Duration = Duration::from_millis(100);

/// A progress line on stderr, or nothing (not a terminal).
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    last: Instant,
    shown: bool,
}

impl Progress {
    /// Progress for work starting now; inert unless stderr is a terminal.
    pub fn new() -> Self {
        Self::with_terminal(std::io::stderr().is_terminal())
    }

    /// Progress that never shows (library callers, tests).
    pub fn hidden() -> Self {
        Self::with_terminal(false)
    }

    fn with_terminal(terminal: bool) -> Self {
        let bar = terminal.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
                bar.set_style(style);
            }
            bar
        });
        let now = Instant::now();
        Self {
            bar,
            started: now,
            last: now,
            shown: false,
        }
    }

    /// Whether it is time to rewrite the line (callers build the message only then).
    pub fn due(&mut self) -> bool {
        let Some(bar) = &self.bar else { return false };
        let now = Instant::now();
        if now.duration_since(self.last) < EVERY || now.duration_since(self.started) < SHOW_AFTER {
            return false;
        }
        self.last = now;
        if !self.shown {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        true
    }

    /// Seconds since the work began.
    pub fn secs(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    pub fn set(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
            bar.tick();
        }
    }

    /// A run's or a listener's line: events and bytes so far, bytes per second.
    pub fn run(&mut self, events: u64, bytes: u64, lang: Lang) {
        if self.due() {
            let rate = (bytes as f64 / self.secs().max(1e-3)) as u64;
            self.set(tf(
                lang,
                S::ProgressRun,
                &[
                    ("events", &units::grouped(events)),
                    ("bytes", &units::bytes(bytes)),
                    ("rate", &units::bytes(rate)),
                ],
            ));
        }
    }

    /// A spinner with a fixed message (reading a file, drawing a picture), turned by a thread
    /// of indicatif's since the work gives no chance to update it; replaced by the next call.
    pub fn steady(&mut self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
            if !self.shown {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(EVERY);
                self.shown = true;
            }
        }
    }

    /// Prints `text` on stderr above the progress line (which is redrawn under it).
    pub fn eprintln(&self, text: &str) {
        match self.bar.as_ref().filter(|_| self.shown) {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// Removes the line (before the report is printed).
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::progress::*;

    #[test]
    fn not_a_terminal_never_shows() {
        let mut p = Progress::with_terminal(false);
        p.started -= Duration::from_secs(5);
        p.last -= Duration::from_secs(5);
        assert!(!p.due());
        assert!(p.bar.is_none());
    }

    #[test]
    fn a_terminal_shows_only_after_a_second() {
        let mut p = Progress::with_terminal(true);
        assert!(!p.due(), "nothing in the first second");
        p.started -= Duration::from_secs(2);
        p.last -= Duration::from_secs(2);
        assert!(p.due());
        assert!(!p.due(), "not again within {EVERY:?}");
    }
}
