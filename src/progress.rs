//! A progress bar on stderr for long runs, and only where a person watches:
//! stderr is a terminal, `CI` is not set, `--quiet` is not given. It shows at
//! once for many files, or after a second for fewer, slow ones.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs with more files than this show the bar from the start.
const MANY_FILES: usize = 100;
/// Shorter runs show it once they have taken this long.
const SLOW_RUN: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

/// Whether a person may be watching stderr.
pub fn wanted(stderr_is_terminal: bool, ci: Option<&std::ffi::OsStr>, quiet: bool) -> bool {
    stderr_is_terminal && ci.is_none_or(|value| value.is_empty()) && !quiet
}

impl Progress {
    pub fn new(files: usize, wanted: bool) -> Progress {
        let bar = wanted.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        let progress = Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        };
        if files > MANY_FILES {
            progress.show();
        }
        progress
    }

    /// One more file done; called from the worker threads.
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            if !self.shown.load(Ordering::Relaxed) && self.started.elapsed() > SLOW_RUN {
                self.show();
            }
            bar.inc(1);
        }
    }

    fn show(&self) {
        if let Some(bar) = &self.bar {
            if !self.shown.swap(true, Ordering::Relaxed) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
        }
    }

    /// Clears the bar, so the report starts on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_person_at_a_terminal_sees_it() {
        assert!(wanted(true, None, false));
        assert!(wanted(true, Some("".as_ref()), false));
        assert!(!wanted(false, None, false));
        assert!(!wanted(true, Some("true".as_ref()), false));
        assert!(!wanted(true, None, true));
    }
}
