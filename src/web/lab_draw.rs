//! The lab's charts on canvases: the shared renderers for loss and log-scale line charts, plus
//! two drawn here with plotters directly — a chart of fractions on a fixed 0–100 % axis
//! (accuracy, success rate) and the frame of the gradient-flow heatmap, whose cells go to the
//! canvas in one `putImageData` from the page.

use crate::core::error::{Error, Result};
use crate::render::{decimate, draw_line_chart, draw_loss_chart, LineChart, LossChart};
use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use std::collections::VecDeque;
use web_sys::HtmlCanvasElement;

/// Okabe–Ito colours, as the shared renderers use them.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];
/// The colour a cell always gets in the race and the sweep: RNN (tanh) blue, LSTM vermillion,
/// GRU green, RNN (ReLU) purple.
pub fn cell_colour(cell: &str, nonlinearity: &str) -> RGBColor {
    match (cell, nonlinearity) {
        ("lstm", _) => PALETTE[1],
        ("gru", _) => PALETTE[2],
        ("rnn", "relu") => PALETTE[3],
        _ => PALETTE[0],
    }
}

const TEXT: RGBColor = RGBColor(34, 34, 34);
const MUTED: RGBColor = RGBColor(90, 90, 90);
const AXIS: RGBColor = RGBColor(110, 110, 110);
const GRID: RGBColor = RGBColor(228, 228, 228);
/// The family as the enum: the `&str` form goes through plotters' `FontFamily::from`, whose
/// `to_lowercase` pulls Unicode case tables into the wasm.
const FONT: FontFamily<'static> = FontFamily::SansSerif;

pub type Area = DrawingArea<CanvasBackend, Shift>;

/// The whole canvas as a drawing area.
pub fn area(canvas: &HtmlCanvasElement) -> Result<Area> {
    CanvasBackend::with_canvas_object(canvas.clone())
        .map(IntoDrawingArea::into_drawing_area)
        .ok_or_else(|| Error::Data("this canvas has no 2D drawing context".into()))
}

fn fail<E: std::error::Error + Send + Sync>(
    what: &'static str,
) -> impl FnOnce(DrawingAreaErrorKind<E>) -> Error {
    move |e| Error::Data(format!("drawing {what} failed: {e}"))
}

fn render(e: crate::render::RenderError) -> Error {
    Error::Data(e.to_string())
}

fn style(px: f64, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    (FONT, px).into_font().color(color).pos(Pos::new(h, v))
}

pub fn loss(canvas: &HtmlCanvasElement, c: &LossChart) -> Result<()> {
    draw_loss_chart(&area(canvas)?, c).map_err(render)
}

pub fn lines(canvas: &HtmlCanvasElement, c: &LineChart) -> Result<()> {
    draw_line_chart(&area(canvas)?, c).map_err(render)
}

/// One line of a [`FracChart`].
pub struct FracSeries {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
    /// Drawn thin and pale, without a legend entry (e.g. the raw values behind a smoothed line).
    pub faint: bool,
}

/// Lines on a fixed y-range (fractions on 0–100 %, or e.g. a tanh unit on ±1), with an
/// optional dashed reference line.
pub struct FracChart {
    pub series: Vec<FracSeries>,
    pub chance: Option<(String, f64)>,
    pub x_label: String,
    pub y_label: String,
    /// The y-range, labelled as percentages when `percent`.
    pub y_range: (f64, f64),
    pub percent: bool,
}

fn percent(v: &f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn plain(v: &f64) -> String {
    format!("{v:.1}").replace('-', "−")
}

fn tick(v: &f64) -> String {
    if v.abs() >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Draws `c` filling the canvas.
pub fn fractions(canvas: &HtmlCanvasElement, c: &FracChart) -> Result<()> {
    let root = area(canvas)?;
    root.fill(&WHITE).map_err(fail("chart background"))?;
    let (head, body) = root.split_vertically(30);
    legend(&head, c)?;
    let all = || {
        c.series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| p.0.is_finite() && p.1.is_finite())
    };
    let (mut x0, mut x1) = all().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
        (a.min(p.0), b.max(p.0))
    });
    if !x0.is_finite() {
        (x0, x1) = (0.0, 1.0);
    } else if x1 <= x0 {
        (x0, x1) = (x0 - 1.0, x1 + 1.0);
    }
    let mut chart = ChartBuilder::on(&body)
        .margin_left(8)
        .margin_right(18)
        .margin_top(4)
        .margin_bottom(6)
        .x_label_area_size(42)
        .y_label_area_size(58)
        .build_cartesian_2d(x0..x1, c.y_range.0..c.y_range.1)
        .map_err(fail("chart axes"))?;
    chart
        .configure_mesh()
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&tick)
        .y_label_formatter(if c.percent { &percent } else { &plain })
        .label_style((FONT, 13.0).into_font().color(&TEXT))
        .axis_desc_style((FONT, 14.0).into_font().color(&TEXT))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .draw()
        .map_err(fail("chart mesh"))?;
    if let Some((_, v)) = &c.chance {
        let n = 40;
        let dashes = (0..n).step_by(2).map(|i| {
            let a = x0 + (x1 - x0) * i as f64 / n as f64;
            let b = x0 + (x1 - x0) * (i + 1) as f64 / n as f64;
            PathElement::new(vec![(a, *v), (b, *v)], MUTED.stroke_width(1))
        });
        chart.draw_series(dashes).map_err(fail("chance line"))?;
    }
    let columns = chart.plotting_area().dim_in_pixel().0.max(1) as usize;
    for s in &c.series {
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .copied()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect();
        let pts = decimate(&pts, (x0, x1), columns);
        let st = if s.faint {
            s.color.mix(0.25).stroke_width(1)
        } else {
            s.color.stroke_width(2)
        };
        chart
            .draw_series(std::iter::once(PathElement::new(pts.clone(), st)))
            .map_err(fail("chart line"))?;
        if !s.faint && pts.len() <= 40 {
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 3, s.color.filled())))
                .map_err(fail("chart points"))?;
        }
    }
    if all().next().is_none() {
        let plot = chart.plotting_area().strip_coord_spec();
        let (w, h) = plot.dim_in_pixel();
        plot.draw(&Text::new(
            "no data yet",
            (w as i32 / 2, h as i32 / 2),
            style(15.0, &MUTED, HPos::Center, VPos::Center),
        ))
        .map_err(fail("chart note"))?;
    }
    Ok(())
}

/// One row of legend entries (line sample + name), then the chance line's.
fn legend(head: &Area, c: &FracChart) -> Result<()> {
    let mut x = 66;
    let y = 16;
    let label = style(13.0, &TEXT, HPos::Left, VPos::Center);
    let mut entries: Vec<(&str, RGBColor, bool)> = c
        .series
        .iter()
        .filter(|s| !s.faint)
        .map(|s| (s.name.as_str(), s.color, false))
        .collect();
    if let Some((name, _)) = &c.chance {
        entries.push((name.as_str(), MUTED, true));
    }
    for (name, color, dashed) in entries {
        let seg = if dashed {
            vec![
                PathElement::new(vec![(x, y), (x + 8, y)], color.stroke_width(2)),
                PathElement::new(vec![(x + 13, y), (x + 22, y)], color.stroke_width(2)),
            ]
        } else {
            vec![PathElement::new(
                vec![(x, y), (x + 22, y)],
                color.stroke_width(2),
            )]
        };
        for s in seg {
            head.draw(&s).map_err(fail("legend"))?;
        }
        head.draw(&Text::new(name.to_string(), (x + 28, y), label.clone()))
            .map_err(fail("legend"))?;
        let w = head
            .estimate_text_size(name, &label)
            .map_or(8 * name.len() as u32, |s| s.0);
        x += 28 + w as i32 + 18;
    }
    Ok(())
}

/// Where the flow heatmap's cells go and their pixels (`width × height` RGBA).
pub struct FlowHeat {
    pub left: i32,
    pub top: i32,
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// A sequential (viridis-like) colour for `t` in 0..=1; NaN is grey.
pub fn sequential(t: f64) -> [u8; 3] {
    const STOPS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    if t.is_nan() {
        return [200, 200, 200];
    }
    let p = t.clamp(0.0, 1.0) * 4.0;
    let i = (p.floor() as usize).min(3);
    let f = p - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let m = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    [m(a.0, b.0), m(a.1, b.1), m(a.2, b.2)]
}

fn superscript(n: i32) -> String {
    let digits = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::from("10");
    if n < 0 {
        s.push('⁻');
    }
    for ch in n.unsigned_abs().to_string().chars() {
        s.push(digits[ch.to_digit(10).unwrap_or(0) as usize]);
    }
    s
}

/// The colour range (log10) of a set of profiles: at most 16 decades below the largest.
fn log_range(ring: &VecDeque<(u64, Vec<f32>)>) -> (f64, f64) {
    let logs = ring
        .iter()
        .flat_map(|(_, v)| v.iter())
        .filter(|v| **v > 0.0 && v.is_finite())
        .map(|v| f64::from(*v).log10());
    let (lo, hi) = logs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        return (-4.0, 0.0);
    }
    let lo = lo.max(hi - 16.0).floor();
    let hi = hi.ceil();
    if hi - lo < 1.0 {
        (lo - 1.0, hi)
    } else {
        (lo, hi)
    }
}

/// Training step (x) × lag T−t (y) of `log10 ‖∂L_T/∂h_t‖`: axes and colour bar drawn, cell
/// pixels returned.
pub fn flow_heat(
    canvas: &HtmlCanvasElement,
    ring: &VecDeque<(u64, Vec<f32>)>,
    steps_t: usize,
) -> Result<FlowHeat> {
    let root = area(canvas)?;
    root.fill(&WHITE).map_err(fail("heatmap background"))?;
    let (w, _) = root.dim_in_pixel();
    let (main, bar) = root.split_horizontally(w.saturating_sub(80));
    let (x0, x1) = match (ring.front(), ring.back()) {
        (Some(a), Some(b)) => (a.0 as f64 - 0.5, b.0 as f64 + 0.5),
        _ => (0.0, 1.0),
    };
    let t = steps_t.max(1) as f64;
    let chart = ChartBuilder::on(&main)
        .margin_left(8)
        .margin_right(6)
        .margin_top(10)
        .margin_bottom(6)
        .x_label_area_size(42)
        .y_label_area_size(58)
        .build_cartesian_2d(x0..x1, 0.0..t)
        .map_err(fail("heatmap axes"))?;
    let mut chart = chart;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("training step")
        .y_desc("lag T − t (steps back)")
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&tick)
        .y_label_formatter(&|v: &f64| format!("{v:.0}"))
        .label_style((FONT, 13.0).into_font().color(&TEXT))
        .axis_desc_style((FONT, 14.0).into_font().color(&TEXT))
        .axis_style(AXIS.stroke_width(1))
        .draw()
        .map_err(fail("heatmap mesh"))?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (width, height) = (px.len(), py.len());
    let (lo, hi) = log_range(ring);
    let mut pixels = vec![255u8; width * height * 4];
    let n = ring.len();
    if n > 0 && steps_t > 0 {
        // Colours of each column's lags, then copied down the pixel rows.
        let cols: Vec<Vec<[u8; 3]>> = ring
            .iter()
            .map(|(_, v)| {
                (0..steps_t)
                    .map(|lag| {
                        let x = v.get(steps_t - 1 - lag).copied().unwrap_or(f32::NAN);
                        if x > 0.0 && x.is_finite() {
                            sequential((f64::from(x).log10() - lo) / (hi - lo))
                        } else if x == 0.0 {
                            sequential(0.0)
                        } else {
                            sequential(f64::NAN)
                        }
                    })
                    .collect()
            })
            .collect();
        // Each pixel column shows the latest profile at or before its training step, so
        // steps without diagnostics (fast training) widen their neighbours.
        let col_of: Vec<usize> = (0..width)
            .map(|x| {
                let s = x0 + (x1 - x0) * (x as f64 + 0.5) / width.max(1) as f64;
                ring.partition_point(|e| e.0 as f64 <= s)
                    .saturating_sub(1)
                    .min(n - 1)
            })
            .collect();
        for y in 0..height {
            let lag = (height - 1 - y) * steps_t / height.max(1);
            let row = &mut pixels[y * width * 4..(y + 1) * width * 4];
            for (x, &c) in col_of.iter().enumerate() {
                let [r, g, b] = cols[c][lag];
                row[x * 4..x * 4 + 3].copy_from_slice(&[r, g, b]);
            }
        }
    } else {
        main.draw(&Text::new(
            "no steps yet",
            (
                (px.start + px.end) / 2 - main.get_pixel_range().0.start,
                (py.start + py.end) / 2,
            ),
            style(15.0, &MUTED, HPos::Center, VPos::Center),
        ))
        .map_err(fail("heatmap note"))?;
    }
    colour_bar(&bar, (py.start, py.end), lo, hi)?;
    Ok(FlowHeat {
        left: px.start,
        top: py.start,
        width,
        height,
        pixels,
    })
}

fn colour_bar(bar: &Area, ys: (i32, i32), lo: f64, hi: f64) -> Result<()> {
    let top = bar.get_pixel_range().1.start;
    let (y0, y1) = (ys.0 - top, ys.1 - top);
    let len = (y1 - y0).max(1);
    let (x0, x1) = (8, 22);
    let bands = (len / 3).clamp(1, 120);
    for b in 0..bands {
        let (a, z) = (y0 + b * len / bands, y0 + (b + 1) * len / bands);
        let [r, g, bl] = sequential(1.0 - (b as f64 + 0.5) / bands as f64);
        bar.draw(&Rectangle::new(
            [(x0, a), (x1, z)],
            RGBColor(r, g, bl).filled(),
        ))
        .map_err(fail("colour bar"))?;
    }
    bar.draw(&Rectangle::new([(x0, y0), (x1, y1)], AXIS.stroke_width(1)))
        .map_err(fail("colour bar"))?;
    let decades = (hi - lo).round() as i32;
    let every = (decades / 6).max(1);
    let label = style(12.0, &TEXT, HPos::Left, VPos::Center);
    for k in (0..=decades).step_by(every as usize) {
        let v = hi as i32 - k;
        let y = y0 + (f64::from(k) / f64::from(decades.max(1)) * f64::from(len - 1)).round() as i32;
        bar.draw(&PathElement::new(
            vec![(x1, y), (x1 + 4, y)],
            AXIS.stroke_width(1),
        ))
        .map_err(fail("colour bar"))?;
        bar.draw(&Text::new(superscript(v), (x1 + 7, y), label.clone()))
            .map_err(fail("colour bar"))?;
    }
    Ok(())
}
