//! The two colour scales — diverging blue–white–red for signed values, sequential
//! (viridis-like) for magnitudes — their lookup tables for JavaScript, and the one colour bar
//! that shows either.

use super::style::{fmt_value, power_of_ten, text, AXIS, TEXT};
use super::{draw_err, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The colour of a missing or non-finite value, on both scales.
pub const NAN_COLOUR: RGBColor = RGBColor(170, 170, 170);

/// Five colours, `0xRRGGBB`, evenly along a scale.
type Stops = [u32; 5];

/// ColorBrewer's RdBu, readable with the common colour-vision deficiencies.
const DIVERGING: Stops = [0x2166ac, 0x92c5de, 0xffffff, 0xf4a582, 0xb2182b];

/// Five stops of matplotlib's viridis (dark purple → yellow), perceptually uniform.
const SEQUENTIAL: Stops = [0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725];

/// The colour at `u` (clamped to 0..=1) along `stops`, linearly between neighbours.
fn interpolate(stops: &Stops, u: f64) -> RGBColor {
    let pos = u.clamp(0.0, 1.0) * 4.0;
    let i = (pos.floor() as usize).min(3);
    let f = pos - i as f64;
    let channel = |c: u32, shift: u32| f64::from((c >> shift) & 0xff);
    let mix = |shift: u32| {
        let (x, y) = (channel(stops[i], shift), channel(stops[i + 1], shift));
        (x + (y - x) * f).round() as u8
    };
    RGBColor(mix(16), mix(8), mix(0))
}

/// Blue–white–red colour for `v` on a scale symmetric about 0 with
/// `|max| = range`: `-range` is blue, 0 white, `+range` red; values beyond
/// are clamped and NaN is [`NAN_COLOUR`].
pub fn diverging_color(v: f32, range: f32) -> RGBColor {
    if v.is_nan() {
        return NAN_COLOUR;
    }
    let t = if range > 0.0 && range.is_finite() {
        (v / range).clamp(-1.0, 1.0)
    } else {
        v.signum() * f32::from(u8::from(v != 0.0))
    };
    interpolate(&DIVERGING, (f64::from(t) + 1.0) / 2.0)
}

/// Viridis-like colour for `t` in 0..=1 (clamped): 0 dark purple, 1 yellow; NaN is
/// [`NAN_COLOUR`].
pub fn sequential_color(t: f64) -> RGBColor {
    if t.is_nan() {
        return NAN_COLOUR;
    }
    interpolate(&SEQUENTIAL, t)
}

/// `n` RGBA entries (`4 * n` bytes) of the diverging scale, evenly from `-range` (entry 0,
/// blue) to `+range` (entry `n - 1`, red); an odd `n` has white in the middle. For a value `v`
/// take entry `round((clamp(v / range, -1, 1) + 1) / 2 * (n - 1))`; NaN is [`NAN_COLOUR`].
pub fn diverging_lut(n: usize) -> Vec<u8> {
    lut(n, |u| interpolate(&DIVERGING, u))
}

/// `n` RGBA entries (`4 * n` bytes) of the sequential scale, evenly from `t = 0` (entry 0)
/// to `t = 1` (entry `n - 1`): for `t` take entry `round(clamp(t, 0, 1) * (n - 1))`; NaN is
/// [`NAN_COLOUR`].
pub fn sequential_lut(n: usize) -> Vec<u8> {
    lut(n, sequential_color)
}

/// Entry `i` of `n` is `colour(i / (n - 1))` (a single entry is the middle of the scale).
fn lut(n: usize, colour: impl Fn(f64) -> RGBColor) -> Vec<u8> {
    (0..n)
        .flat_map(|i| {
            let u = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                0.5
            };
            let RGBColor(r, g, b) = colour(u);
            [r, g, b, 255]
        })
        .collect()
}

/// The CSS form `#rrggbb` of `c`.
pub fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// What a colour bar shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum BarScale {
    /// The diverging scale over `-range..=range`, labelled with values.
    Linear { range: f32 },
    /// The sequential scale over `10^lo..=10^hi` (whole decades), labelled `10ⁿ`.
    Decades { lo: f64, hi: f64 },
}

impl BarScale {
    /// The colour at fraction `f` of the bar's length from the top.
    fn colour(&self, f: f64) -> RGBColor {
        match *self {
            Self::Linear { range } => diverging_color(range * (1.0 - 2.0 * f as f32), range),
            Self::Decades { .. } => sequential_color(1.0 - f),
        }
    }

    /// The ticks as (fraction of the length from the top, label), for a bar `len` pixels long.
    fn ticks(&self, len: i32) -> Vec<(f64, String)> {
        match *self {
            Self::Linear { range } => {
                let fractions: &[f32] = if len >= 120 {
                    &[1.0, 0.5, 0.0, -0.5, -1.0]
                } else {
                    &[1.0, 0.0, -1.0]
                };
                let label = |f: f32| fmt_value(f64::from(f * range));
                fractions
                    .iter()
                    .map(|&f| (f64::from((1.0 - f) / 2.0), label(f)))
                    .collect()
            }
            Self::Decades { lo, hi } => {
                let decades = (hi - lo).round() as i32;
                let every = (decades / 6).max(1) as usize;
                let at = |k: i32| f64::from(k) / f64::from(decades.max(1));
                (0..=decades)
                    .step_by(every)
                    .map(|k| (at(k), power_of_ten(hi as i32 - k)))
                    .collect()
            }
        }
    }
}

/// A vertical colour bar spanning the plot's height (`ys`, backend pixels),
/// the top of the scale at the top, with ticks and labels on its right.
pub(super) fn draw_colour_bar<DB: DrawingBackend>(
    bar: &DrawingArea<DB, Shift>,
    ys: (i32, i32),
    scale: &BarScale,
) -> Result<(), RenderError> {
    let err = || draw_err("colour bar");
    let top = bar.get_pixel_range().1.start;
    let (y0, y1) = (ys.0 - top, ys.1 - top);
    let (x0, x1) = (10, 24);
    let len = (y1 - y0).max(1);
    // Bands of about 3 pixels: smooth to the eye, few backend calls.
    let bands = (len / 3).clamp(1, 160);
    for b in 0..bands {
        let (top, bottom) = (y0 + b * len / bands, y0 + (b + 1) * len / bands);
        let color = scale.colour((f64::from(b) + 0.5) / f64::from(bands));
        bar.draw(&Rectangle::new([(x0, top), (x1, bottom)], color.filled()))
            .map_err(err())?;
    }
    let frame = Rectangle::new([(x0, y0), (x1, y1)], AXIS.stroke_width(1));
    bar.draw(&frame).map_err(err())?;
    let style = text(12.0, &TEXT, HPos::Left, VPos::Center);
    for (f, label) in scale.ticks(len) {
        let y = y0 + (f * f64::from(len - 1)).round() as i32;
        let tick = PathElement::new(vec![(x1, y), (x1 + 4, y)], AXIS.stroke_width(1));
        bar.draw(&tick).map_err(err())?;
        bar.draw(&Text::new(label, (x1 + 7, y), style.clone()))
            .map_err(err())?;
    }
    Ok(())
}
