//! Lines on a fixed y-range: fractions on 0–100 % (accuracy, success rate)
//! or e.g. a tanh unit on ±1, with an optional dashed "chance" line.

use super::line_chart::{draw_line_chart, LineChart, RefLine, Series};
use super::RenderError;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One line of a [`FracChart`].
#[derive(Clone, Debug, PartialEq)]
pub struct FracSeries {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
    /// Drawn thin and pale, without markers or a legend entry (e.g. the raw
    /// values behind a smoothed line).
    pub faint: bool,
}

/// What the fraction chart shows: lines on the fixed `y_range` (an empty or
/// non-finite one becomes `0..1`), labelled as percentages when `percent`,
/// and an optional dashed reference line `(name, y)` in the legend.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FracChart {
    pub series: Vec<FracSeries>,
    pub chance: Option<(String, f64)>,
    pub x_label: String,
    pub y_label: String,
    pub y_range: (f64, f64),
    pub percent: bool,
}

impl FracChart {
    /// The line chart it is: its series (the faint ones drawn first), the
    /// chance line as a reference line, on its fixed y-range.
    pub fn to_line_chart(&self) -> LineChart {
        let series = |faint: bool| {
            let those = self.series.iter().filter(|s| s.faint == faint);
            those
                .map(|s| Series {
                    name: s.name.clone(),
                    points: s.points.clone(),
                    color: Some(s.color),
                })
                .collect()
        };
        let refs = self.chance.iter().map(|(name, y)| RefLine {
            name: name.clone(),
            y: *y,
            color: None,
        });
        LineChart {
            series: series(false),
            faint: series(true),
            refs: refs.collect(),
            x_label: self.x_label.clone(),
            y_label: self.y_label.clone(),
            y_range: Some(self.y_range),
            percent: self.percent,
            ..LineChart::default()
        }
    }
}

/// Draws `c` filling `area`: legend above the plot, the chance line, then
/// the faint series and the others (with point markers when short).
pub fn draw_frac_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &FracChart,
) -> Result<(), RenderError> {
    draw_line_chart(area, &c.to_line_chart())
}
