//! The loss history behind the chart: every step's raw loss, its smoothed value and the
//! validation losses, cut back on rollback.

use crate::core::average::Ema;

/// Most points kept per series: past this the history is halved (pairs merged), so a page that
/// trains for hours keeps a bounded heap and the chart a bounded cost.
const CAP: usize = 20_000;

#[derive(Clone, Debug)]
pub struct History {
    /// `(step, loss)` of every step trained.
    pub train: Vec<(f64, f64)>,
    /// `(step, smoothed loss)`, one per entry of `train`.
    pub smooth: Vec<(f64, f64)>,
    /// `(step, validation loss)`.
    pub val: Vec<(f64, f64)>,
    ema: Ema,
    /// When a copy follows this history (see `sync`): every change since it was last taken,
    /// `[op, step, value]` (op 0: `push`, 1: `push_val`, 2: `truncate`).
    pub log: Option<Vec<[f64; 3]>>,
}

impl Default for History {
    fn default() -> Self {
        History {
            train: Vec::new(),
            smooth: Vec::new(),
            val: Vec::new(),
            ema: Ema::new(Ema::LOSS),
            log: None,
        }
    }
}

impl History {
    /// Records one step's loss; returns the new smoothed loss. Non-finite losses are kept in
    /// the raw series (the chart skips them) but do not poison the average.
    pub fn push(&mut self, step: u64, loss: f32) -> f64 {
        let x = f64::from(loss);
        self.note(0, step, x);
        let s = self.ema.push(x);
        self.train.push((step as f64, x));
        self.smooth.push((step as f64, s));
        if self.train.len() > CAP {
            self.thin();
        }
        s
    }

    /// Halves both series: of each pair of raw losses the larger stays (spikes stay visible);
    /// of the smoothed values the later one.
    fn thin(&mut self) {
        self.train = self
            .train
            .chunks(2)
            .map(|c| {
                *c.iter()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .expect("non-empty chunk")
            })
            .collect();
        self.smooth = self.smooth.chunks(2).map(|c| c[c.len() - 1]).collect();
    }

    /// The current smoothed loss (NaN before the first step).
    pub fn smoothed(&self) -> f64 {
        self.ema.value()
    }

    /// Logs a change for a copy, when one follows.
    fn note(&mut self, op: u8, step: u64, x: f64) {
        if let Some(log) = &mut self.log {
            log.push([f64::from(op), step as f64, x]);
        }
    }

    pub fn push_val(&mut self, step: u64, loss: f64) {
        self.note(1, step, loss);
        self.val.retain(|p| p.0 < step as f64);
        self.val.push((step as f64, loss));
    }

    /// Forgets everything after `step` and replays the average up to it (over the kept points,
    /// so after thinning the replayed average is an approximation).
    pub fn truncate(&mut self, step: u64) {
        self.note(2, step, 0.0);
        let log = self.log.take();
        let keep = |p: &(f64, f64)| p.0 <= step as f64;
        self.train.retain(keep);
        self.val.retain(keep);
        let raw = std::mem::take(&mut self.train);
        *self = History {
            val: std::mem::take(&mut self.val),
            ..History::default()
        };
        for (s, l) in raw {
            self.push(s as u64, l as f32);
        }
        self.log = log;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_halves_both_series_keeping_spikes() {
        let mut h = History::default();
        for s in 1..=(CAP as u64 + 1) {
            // A spike every 1000 steps must survive the thinning.
            h.push(s, if s % 1000 == 0 { 9.0 } else { 1.0 });
        }
        assert_eq!(h.train.len(), CAP / 2 + 1);
        assert_eq!(h.smooth.len(), h.train.len());
        let spikes = h.train.iter().filter(|p| p.1 == 9.0).count();
        assert_eq!(spikes, CAP / 1000);
        assert_eq!(h.train.last().unwrap().0, CAP as f64 + 1.0);
    }

    #[test]
    fn non_finite_losses_are_kept_but_do_not_poison_the_average() {
        let mut h = History::default();
        assert!(h.smoothed().is_nan());
        h.push(1, 2.0);
        h.push(2, f32::NAN);
        assert_eq!(h.smoothed(), 2.0);
        assert!(h.train[1].1.is_nan());
    }

    #[test]
    fn truncate_forgets_later_steps_and_replays_the_average() {
        let mut h = History::default();
        for s in 1..=10 {
            h.push(s, s as f32);
        }
        h.push_val(5, 3.0);
        h.push_val(10, 2.0);
        let mut want = History::default();
        for s in 1..=4 {
            want.push(s, s as f32);
        }
        h.truncate(4);
        assert_eq!((h.train.len(), h.val.len()), (4, 0));
        assert_eq!(h.smoothed(), want.smoothed());
        h.push_val(3, 1.0);
        h.push_val(3, 1.5);
        assert_eq!(h.val, [(3.0, 1.5)], "a step's validation loss is replaced");
    }
}
