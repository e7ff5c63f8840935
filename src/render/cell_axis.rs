//! The heatmap's axes: ticks at cell centres, labels that fit.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// A linear axis over `0..n` cells whose ticks are exactly `keys` (cell
/// centres), so labels sit under the cells they name.
pub struct CellAxis {
    n: f64,
    keys: Vec<f64>,
}

impl CellAxis {
    pub fn new(n: usize, keys: Vec<f64>) -> Self {
        Self { n: n as f64, keys }
    }
}

impl Ranged for CellAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let t = (v / self.n).clamp(0.0, 1.0);
        limit.0 + (f64::from(limit.1 - limit.0) * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        0.0..self.n
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50, … cells that leaves `min_px` pixels
/// between labels.
pub fn label_step(cell_px: f64, min_px: f64) -> usize {
    let need = (min_px / cell_px.max(1e-3)).ceil().max(1.0) as usize;
    let mut base = 1;
    loop {
        for m in [1, 2, 5] {
            if base * m >= need {
                return base * m;
            }
        }
        base *= 10;
    }
}

/// The label of column `col`: its input character made visible, or the
/// time index when there are no labels.
pub fn col_label(labels: &[String], col: usize) -> String {
    match labels.get(col) {
        Some(s) => s.chars().map(visible_char).collect(),
        None if labels.is_empty() => col.to_string(),
        None => String::new(),
    }
}

/// Makes whitespace and control characters visible on an axis.
fn visible_char(c: char) -> char {
    match c {
        '\n' => '⏎',
        ' ' => '␣',
        '\t' => '⇥',
        c if c.is_control() => '·',
        c => c,
    }
}
