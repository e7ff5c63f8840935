//! A horizontal legend laid out in rows above a plot, so it never covers data.

use super::style::{text, text_width, LEGEND_PX, TEXT};
use super::{draw_err, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// How a legend entry's sample looks.
#[derive(Clone, Debug)]
pub enum Mark {
    /// A solid line of this colour and width.
    Line(RGBAColor, u32),
    /// A line with a dot in the middle (a series drawn with point markers).
    LineDot(RGBColor),
    /// A dashed line (reference lines).
    Dashed(RGBColor),
    /// A point alone: filled, or open (a ring), as the chart draws it.
    Dot(RGBColor, bool),
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub label: String,
    pub mark: Mark,
}

const SAMPLE_W: i32 = 24;
const SAMPLE_GAP: i32 = 6;
const ENTRY_GAP: i32 = 18;
pub const ROW_H: i32 = 20;

/// Top-left offsets of each entry, wrapping into rows no wider than `width`.
fn place(entries: &[Entry], width: i32) -> Vec<(i32, i32)> {
    let (mut x, mut y) = (0, 0);
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let w = SAMPLE_W + SAMPLE_GAP + text_width(&e.label, LEGEND_PX);
        if x > 0 && x + w > width {
            (x, y) = (0, y + ROW_H);
        }
        out.push((x, y));
        x += w + ENTRY_GAP;
    }
    out
}

/// Height in pixels the legend needs when wrapped to `width`.
pub fn height(entries: &[Entry], width: i32) -> i32 {
    let rows = place(entries, width)
        .last()
        .map_or(0, |&(_, y)| y / ROW_H + 1);
    rows * ROW_H
}

/// Draws the legend with its top-left corner at `origin` (area pixels).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    origin: (i32, i32),
    width: i32,
) -> Result<(), RenderError> {
    let style = text(LEGEND_PX, &TEXT, HPos::Left, VPos::Center);
    for (e, (dx, dy)) in entries.iter().zip(place(entries, width)) {
        let (x, cy) = (origin.0 + dx, origin.1 + dy + ROW_H / 2);
        draw_mark(area, &e.mark, x, cy)?;
        let at = (x + SAMPLE_W + SAMPLE_GAP, cy);
        area.draw(&Text::new(e.label.as_str(), at, style.clone()))
            .map_err(draw_err("legend text"))?;
    }
    Ok(())
}

/// A marked point at `at`: filled with `color` inside a white ring and a thin outer ring of
/// `color` (it stands out on dots of the same colour), or open (white, ringed with `color`).
pub fn dot<C: Clone>(at: C, color: RGBColor, filled: bool) -> Vec<Circle<C, i32>> {
    match filled {
        true => vec![
            Circle::new(at.clone(), 7, color.stroke_width(1)),
            Circle::new(at.clone(), 5, color.filled()),
            Circle::new(at, 5, WHITE.stroke_width(2)),
        ],
        false => vec![
            Circle::new(at.clone(), 5, WHITE.filled()),
            Circle::new(at, 5, color.stroke_width(2)),
        ],
    }
}

fn draw_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mark: &Mark,
    x: i32,
    cy: i32,
) -> Result<(), RenderError> {
    let err = draw_err("legend sample");
    let line = |style: ShapeStyle| PathElement::new(vec![(x, cy), (x + SAMPLE_W, cy)], style);
    match mark {
        Mark::Line(color, width) => area.draw(&line(color.stroke_width(*width))).map_err(err),
        Mark::LineDot(color) => {
            area.draw(&line(color.stroke_width(2)))
                .map_err(draw_err("legend sample"))?;
            area.draw(&Circle::new((x + SAMPLE_W / 2, cy), 3, color.filled()))
                .map_err(err)
        }
        Mark::Dashed(color) => {
            for x0 in (x..x + SAMPLE_W).step_by(8) {
                let dash = vec![(x0, cy), ((x0 + 5).min(x + SAMPLE_W), cy)];
                area.draw(&PathElement::new(dash, color.stroke_width(1)))
                    .map_err(draw_err("legend sample"))?;
            }
            Ok(())
        }
        Mark::Dot(color, filled) => {
            for c in dot((x + SAMPLE_W / 2, cy), *color, *filled) {
                area.draw(&c).map_err(draw_err("legend sample"))?;
            }
            Ok(())
        }
    }
}
