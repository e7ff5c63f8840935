//! The diverging blue–white–red colour scale and its colour bar.

use super::style::{fmt_value, text, AXIS, TEXT};
use super::{draw_err, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Blue–white–red colour for `v` on a scale symmetric about 0 with
/// `|max| = range`: `-range` is blue, 0 white, `+range` red; values beyond
/// are clamped and NaN is grey. Colours follow ColorBrewer's RdBu, which is
/// readable with the common colour-vision deficiencies.
pub fn diverging_color(v: f32, range: f32) -> RGBColor {
    const STOPS: [(f32, f32, f32); 5] = [
        (33.0, 102.0, 172.0),
        (146.0, 197.0, 222.0),
        (255.0, 255.0, 255.0),
        (244.0, 165.0, 130.0),
        (178.0, 24.0, 43.0),
    ];
    if v.is_nan() {
        return RGBColor(170, 170, 170);
    }
    let t = if range > 0.0 && range.is_finite() {
        (v / range).clamp(-1.0, 1.0)
    } else {
        v.signum() * f32::from(u8::from(v != 0.0))
    };
    let pos = (t + 1.0) * 2.0; // 0..=4 over the stops
    let i = (pos.floor() as usize).min(3);
    let f = pos - i as f32;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: f32, y: f32| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A vertical colour bar spanning the plot's height (`ys`, backend pixels),
/// `+range` at the top, labelled with values.
pub(super) fn draw_color_bar<DB: DrawingBackend>(
    bar: &DrawingArea<DB, Shift>,
    ys: (i32, i32),
    range: f32,
) -> Result<(), RenderError> {
    let top = bar.get_pixel_range().1.start;
    let (y0, y1) = (ys.0 - top, ys.1 - top);
    let (x0, x1) = (10, 24);
    let len = (y1 - y0).max(1);
    // Bands of about 3 pixels: smooth to the eye, few backend calls.
    let bands = (len / 3).clamp(1, 160);
    for b in 0..bands {
        let (top, bottom) = (y0 + b * len / bands, y0 + (b + 1) * len / bands);
        let v = range * (1.0 - 2.0 * (b as f32 + 0.5) / bands as f32);
        let color = diverging_color(v, range);
        bar.draw(&Rectangle::new([(x0, top), (x1, bottom)], color.filled()))
            .map_err(draw_err("heatmap colour bar"))?;
    }
    let frame = Rectangle::new([(x0, y0), (x1, y1)], AXIS.stroke_width(1));
    bar.draw(&frame).map_err(draw_err("heatmap colour bar"))?;
    let fractions: &[f32] = if len >= 120 {
        &[1.0, 0.5, 0.0, -0.5, -1.0]
    } else {
        &[1.0, 0.0, -1.0]
    };
    let style = text(12.0, &TEXT, HPos::Left, VPos::Center);
    for &f in fractions {
        let y = y0 + ((1.0 - f) / 2.0 * (len - 1) as f32).round() as i32;
        let tick = PathElement::new(vec![(x1, y), (x1 + 4, y)], AXIS.stroke_width(1));
        bar.draw(&tick).map_err(draw_err("heatmap colour bar"))?;
        let label = fmt_value(f64::from(f * range));
        bar.draw(&Text::new(label, (x1 + 7, y), style.clone()))
            .map_err(draw_err("heatmap colour bar"))?;
    }
    Ok(())
}
