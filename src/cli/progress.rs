//! Training progress on stderr: an indicatif bar on a terminal, else a line every ~10% of steps.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// The progress display of one training run of `total` steps.
pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    every: u64,
    start: Instant,
}

impl Progress {
    pub fn new(total: u64) -> Self {
        let bar = (total > 0 && std::io::stderr().is_terminal()).then(|| {
            let style = ProgressStyle::with_template(
                "{bar:30.cyan/blue} {pos}/{len} {msg} [{elapsed_precise}<{eta_precise}]",
            )
            .expect("the template is valid")
            .progress_chars("=> ");
            let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                .with_style(style);
            b.enable_steady_tick(Duration::from_millis(250));
            b
        });
        Progress {
            bar,
            total,
            every: (total / 10).max(1),
            start: Instant::now(),
        }
    }

    /// Seconds since the run started.
    pub fn elapsed(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Reports that `done` of this run's steps are complete (loss and accuracy smoothed).
    pub fn update(&self, done: u64, smooth_loss: f64, accuracy: Option<f64>, chars_per_s: f64) {
        let acc = accuracy.map_or(String::new(), |a| format!("  acc {:.1}%", 100.0 * a));
        let msg = format!("loss {smooth_loss:.4}{acc}  {chars_per_s:.0} chars/s");
        match &self.bar {
            Some(b) => {
                b.set_position(done);
                b.set_message(msg);
            }
            None if done.is_multiple_of(self.every) || done == self.total => {
                eprintln!(
                    "step {done}/{} ({:.0}%)  {msg}  {:.1} s",
                    self.total,
                    100.0 * done as f64 / self.total as f64,
                    self.elapsed()
                );
            }
            None => {}
        }
    }

    /// Removes the bar (its last state stays on screen).
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.abandon();
            // indicatif leaves the cursor at the end of the bar line.
            eprintln!();
        }
    }
}
