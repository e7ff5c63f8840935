//! The one coordinate type of every chart: a linear, logarithmic or cell axis. Each coordinate
//! type a chart is built on compiles plotters' chart, mesh, axis and series code once more (about
//! 3 KB of wasm for the axes alone), so every chart is built on `Cartesian2d<Axis, Axis>` and the
//! kind of axis is chosen at run time. Each kind draws exactly as plotters' own type does: the
//! calls are forwarded to it.

use super::cell_axis::CellAxis;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::{Cartesian2d, ChartContext, IntoLogRange, LogCoord};
use std::ops::Range;

/// An axis over `f64` values.
pub enum Axis {
    Linear(RangedCoordf64),
    /// Logarithmic: `lo..hi`, both positive.
    Log(LogCoord<f64>),
    /// Cells `0..n` with ticks at given cell centres (the heatmap's).
    Cells(CellAxis),
}

/// A chart on two [`Axis`].
pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

impl Axis {
    pub fn linear(lo: f64, hi: f64) -> Axis {
        Axis::Linear((lo..hi).into())
    }

    pub fn log(lo: f64, hi: f64) -> Axis {
        Axis::Log((lo..hi).log_scale().into())
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        match self {
            Axis::Linear(a) => a.map(v, limit),
            Axis::Log(a) => a.map(v, limit),
            Axis::Cells(a) => a.map(v, limit),
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self {
            Axis::Linear(a) => a.key_points(hint),
            Axis::Log(a) => log_key_points(a, hint),
            Axis::Cells(a) => a.key_points(hint),
        }
    }

    fn range(&self) -> Range<f64> {
        match self {
            Axis::Linear(a) => a.range(),
            Axis::Log(a) => a.range(),
            Axis::Cells(a) => a.range(),
        }
    }
}

/// Decades a log axis may span before its ticks are spread as below.
const WIDE_DECADES: f64 = 4.0;

/// plotters' ticks for a log axis of a few decades; over a wider span (a vanishing gradient's
/// 40 decades) plotters' puts its few ticks near one end, so there: powers of ten every `k`
/// decades, `k` the smallest step that keeps to the hint's number of points.
fn log_key_points<Hint: KeyPointHint>(a: &LogCoord<f64>, hint: Hint) -> Vec<f64> {
    let r = a.range();
    let (lo, hi) = (r.start.log10(), r.end.log10());
    let decades = hi.floor() - lo.ceil();
    let max = hint.max_num_points();
    if decades.is_nan() || decades <= WIDE_DECADES || max < 2 {
        return a.key_points(hint);
    }
    let step = (decades / (max - 1) as f64).ceil();
    let first = (lo / step).ceil() * step;
    (0..)
        .map(|i| first + step * f64::from(i))
        .take_while(|&e| e <= hi)
        .map(|e| 10f64.powf(e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::coord::ranged1d::BoldPoints;

    fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
        Axis::log(lo, hi).key_points(BoldPoints(n))
    }

    #[test]
    fn a_wide_log_axis_is_ticked_across_its_span() {
        let t = ticks(1e-44, 1e-3, 6);
        assert!((3..=6).contains(&t.len()), "{t:?}");
        assert!(t.iter().all(|&v| (1e-44..=1e-3).contains(&v)), "{t:?}");
        assert!(t[0] < 1e-30 && *t.last().unwrap() > 1e-12, "spread: {t:?}");
        let e: Vec<f64> = t.iter().map(|v| v.log10().round()).collect();
        assert!(
            e.windows(2).all(|w| w[1] - w[0] == e[1] - e[0]),
            "evenly: {e:?}"
        );
    }

    #[test]
    fn a_narrow_log_axis_keeps_plotters_ticks() {
        let a = (1e-3..10.0).log_scale();
        let plotters: LogCoord<f64> = a.into();
        assert_eq!(ticks(1e-3, 10.0, 6), plotters.key_points(BoldPoints(6)));
    }
}
