//! Spending a frame's time budget on training steps: as many as fit, the last one marked so it
//! can collect what the page draws (diagnostics cost more than a plain step, so both costs are
//! timed and budgeted apart).

use super::Clock;
use crate::core::average::Ema;
use crate::core::error::Result;

/// The timed costs of a plain step and of a last (drawn) step.
#[derive(Clone, Debug)]
pub struct Budget {
    plain: Ema,
    last: Ema,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            plain: Ema::new(Ema::TIMING),
            last: Ema::new(Ema::TIMING),
        }
    }
}

impl Budget {
    /// Calls `step(last)` until `max` calls are done or one more plain step and the last would
    /// go past `budget_ms` of `now`'s time; at least once. The final call gets `last = true`.
    /// Returns the number of calls and the final call's value; an error stops at once.
    pub fn run<T>(
        &mut self,
        max: u32,
        budget_ms: f64,
        now: Clock,
        mut step: impl FnMut(bool) -> Result<T>,
    ) -> Result<(u32, T)> {
        let t0 = now();
        let mut n = 0u32;
        loop {
            let plain = self.plain.or(0.0);
            let last = n + 1 >= max || now() - t0 + plain + self.last.or(plain) > budget_ms;
            let t1 = now();
            let out = step(last)?;
            let dt = now() - t1;
            n += 1;
            if last {
                self.last.push(dt);
                return Ok((n, out));
            }
            self.plain.push(dt);
        }
    }

    /// The average milliseconds of a plain step (0 before the first).
    pub fn ms_per_step(&self) -> f64 {
        self.plain.or(self.last.or(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A clock that advances `tick` ms each time it is read.
    fn ticking(tick: f64) -> impl Fn() -> f64 {
        let t = Cell::new(0.0);
        move || {
            t.set(t.get() + tick);
            t.get()
        }
    }

    #[test]
    fn stops_at_max_and_marks_only_the_last() {
        let now = ticking(0.0);
        let mut marks = Vec::new();
        let (n, _) = Budget::default()
            .run(5, 1e9, &now, |last| {
                marks.push(last);
                Ok(())
            })
            .unwrap();
        assert_eq!(n, 5);
        assert_eq!(marks, [false, false, false, false, true]);
    }

    #[test]
    fn a_zero_budget_still_makes_one_step() {
        let now = ticking(1.0);
        let (n, v) = Budget::default().run(100, 0.0, &now, |_| Ok(7)).unwrap();
        assert_eq!((n, v), (1, 7));
    }

    #[test]
    fn the_budget_bounds_the_steps_by_their_timed_cost() {
        // Each read of the clock is 1 ms, so a step measures 1 ms: within 20 ms about 6 steps
        // fit (3 reads per step) once the costs are known.
        let now = ticking(1.0);
        let mut b = Budget::default();
        b.run(1, 1e9, &now, |_| Ok(())).unwrap();
        b.run(2, 1e9, &now, |_| Ok(())).unwrap();
        let (n, _) = b.run(1000, 20.0, &now, |_| Ok(())).unwrap();
        assert!((4..=8).contains(&n), "{n} steps in 20 ms of 3 ms steps");
        assert!((b.ms_per_step() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn an_error_stops_at_once() {
        let now = ticking(0.0);
        let mut calls = 0;
        let r: Result<(u32, ())> = Budget::default().run(10, 1e9, &now, |_| {
            calls += 1;
            Err(crate::core::Error::Data("boom".into()))
        });
        assert!(r.is_err());
        assert_eq!(calls, 1);
    }
}
