//! The one moving average of the front ends: exponential and debiased, so the first values are
//! not pulled towards zero. It smooths the loss and accuracy the CLI prints and the pages chart,
//! and times the pages' work for the frame budget.

/// An exponential moving average `m ← β·m + (1 − β)·x`, divided by the weight of the terms so
/// far (`1 − βⁿ`); non-finite values are skipped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ema {
    beta: f64,
    sum: f64,
    weight: f64,
}

impl Ema {
    /// Weight of the past in the loss curves of the playground.
    pub const LOSS: f64 = 0.98;
    /// Weight of the past in the lab's curves (shorter runs: it follows faster).
    pub const CURVE: f64 = 0.95;
    /// Weight of the past in the timings that budget a frame.
    pub const TIMING: f64 = 0.9;

    pub const fn new(beta: f64) -> Self {
        Ema {
            beta,
            sum: 0.0,
            weight: 0.0,
        }
    }

    /// Adds `x`; returns the new average.
    pub fn push(&mut self, x: f64) -> f64 {
        if x.is_finite() {
            self.sum = self.beta * self.sum + (1.0 - self.beta) * x;
            self.weight = self.beta * self.weight + (1.0 - self.beta);
        }
        self.value()
    }

    /// The average, NaN before the first value.
    pub fn value(&self) -> f64 {
        self.or(f64::NAN)
    }

    /// The average, `empty` before the first value.
    pub fn or(&self, empty: f64) -> f64 {
        if self.weight > 0.0 {
            self.sum / self.weight
        } else {
            empty
        }
    }

    /// Forgets every value.
    pub fn reset(&mut self) {
        *self = Ema::new(self.beta);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debiased_from_the_first_value_and_skips_non_finite() {
        let mut e = Ema::new(0.9);
        assert!(e.value().is_nan());
        assert_eq!(e.or(0.0), 0.0);
        assert_eq!(e.push(4.0), 4.0);
        let two = e.push(2.0);
        let want = (0.9 * 0.1 * 4.0 + 0.1 * 2.0) / (0.9 * 0.1 + 0.1);
        assert!((two - want).abs() < 1e-12, "{two} vs {want}");
        assert_eq!(e.push(f64::NAN), two);
        e.reset();
        assert!(e.value().is_nan());
    }

    #[test]
    fn converges_to_a_constant_and_follows_a_step() {
        let mut e = Ema::new(Ema::LOSS);
        for _ in 0..10 {
            e.push(3.0);
        }
        assert!((e.value() - 3.0).abs() < 1e-12);
        for _ in 0..500 {
            e.push(1.0);
        }
        assert!((e.value() - 1.0).abs() < 1e-3, "{}", e.value());
    }
}
