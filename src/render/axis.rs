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
            Axis::Log(a) => a.key_points(hint),
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
