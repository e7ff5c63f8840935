//! The training-loss chart: raw and smoothed train loss, validation loss and
//! labelled reference lines (e.g. the uniform and unigram baselines).

use super::axis::{Axis, Chart};
use super::data::{
    clip_runs, decimate, dedupe_pixels, finite, min_max, padded, plottable, quantile,
};
use super::frame::{background, dashes, draw_mesh, header, note, xy_builder, Mesh};
use super::legend::{Entry, Mark};
use super::style::{fmt_tick, text, text_width, MUTED, PALETTE, TEXT};
use super::{draw_err, RenderError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// What the loss chart shows. Points are `(x, y)`, e.g. `(step, loss)`;
/// non-finite values are skipped. Baselines are `(name, value)` and are
/// labelled "`name` = `value`".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LossChart {
    pub train: Vec<(f64, f64)>,
    pub train_smooth: Vec<(f64, f64)>,
    pub val: Vec<(f64, f64)>,
    pub baselines: Vec<(String, f64)>,
    pub x_label: String,
    pub y_label: String,
}

const TRAIN: RGBColor = PALETTE[0];
const VAL: RGBColor = PALETTE[1];
const BASELINE: RGBColor = MUTED;
const LABEL_PX: f64 = 12.0;

/// Draws `c` filling `area`. Long series are decimated to at most two points
/// per pixel column (the min and max of each), so drawing stays fast.
pub fn draw_loss_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &LossChart,
) -> Result<(), RenderError> {
    background(area)?;
    let train = finite(&c.train);
    let smooth = finite(&c.train_smooth);
    let val = finite(&c.val);
    let baselines: Vec<(&str, f64)> = c
        .baselines
        .iter()
        .filter(|(_, v)| plottable(*v))
        .map(|(n, v)| (n.as_str(), *v))
        .collect();
    let (xr, yr) = ranges(&train, &smooth, &val, &baselines);

    let entries = legend_entries(&train, &smooth, &val, &baselines);
    let body = header(area, "", &entries)?;
    let mut chart = xy_builder(&body)
        .build_cartesian_2d(Axis::linear(xr.0, xr.1), Axis::linear(yr.0, yr.1))
        .map_err(draw_err("loss chart axes"))?;
    let (xspan, yspan) = (xr.1 - xr.0, yr.1 - yr.0);
    let mesh = Mesh {
        x_desc: &c.x_label,
        y_desc: &c.y_label,
        labels: Some((7, 8)),
        x_fmt: &|v| fmt_tick(*v, xspan),
        y_fmt: &|v| fmt_tick(*v, yspan),
        grid: true,
    };
    draw_mesh(&mut chart, &mesh)?;

    let dashed: Vec<(f64, RGBColor)> = baselines.iter().map(|b| (b.1, BASELINE)).collect();
    dashes(&chart, &dashed)?;
    let columns = chart.plotting_area().dim_in_pixel().0.max(1) as usize;
    let faint = TRAIN.mix(0.3).stroke_width(1);
    draw_line(&mut chart, &train, xr, columns, faint)?;
    draw_line(&mut chart, &smooth, xr, columns, TRAIN.stroke_width(2))?;
    draw_line(&mut chart, &val, xr, columns, VAL.stroke_width(2))?;
    if !val.is_empty() && val.len() <= columns / 6 {
        let inside = val.iter().filter(|p| (yr.0..=yr.1).contains(&p.1));
        chart
            .draw_series(inside.map(|&p| Circle::new(p, 3, VAL.filled())))
            .map_err(draw_err("loss chart validation points"))?;
    }
    label_baselines(area, &chart, &baselines, xr)?;
    if train.is_empty() && smooth.is_empty() && val.is_empty() {
        note(&chart.plotting_area().strip_coord_spec(), "no data yet")?;
    }
    Ok(())
}

/// Decimates, clips to the y-range and draws one series as polylines.
fn draw_line<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    points: &[(f64, f64)],
    xr: (f64, f64),
    columns: usize,
    style: ShapeStyle,
) -> Result<(), RenderError> {
    let yr = chart.y_range();
    let runs = clip_runs(&decimate(points, xr, columns), yr.start, yr.end);
    let runs: Vec<_> = runs
        .into_iter()
        .map(|run| dedupe_pixels(run, |p| chart.backend_coord(p)))
        .collect();
    chart
        .draw_series(runs.into_iter().map(|run| PathElement::new(run, style)))
        .map_err(draw_err("loss chart line"))?;
    Ok(())
}

/// The x- and y-ranges. The top of the y-range ignores the first 5% of the
/// x-span (the initial transient, which can be huge) and the top 1% of raw
/// train losses (spikes run off the top instead of squashing the curve);
/// baselines are always in range.
pub(super) fn ranges(
    train: &[(f64, f64)],
    smooth: &[(f64, f64)],
    val: &[(f64, f64)],
    baselines: &[(&str, f64)],
) -> ((f64, f64), (f64, f64)) {
    let series = [train, smooth, val];
    let all = || series.iter().flat_map(|s| s.iter());
    let Some((x0, x1)) = min_max(all().map(|p| p.0)) else {
        let ys = min_max(baselines.iter().map(|b| b.1));
        let (lo, hi) = ys.map_or((0.0, 1.0), |(lo, hi)| padded(lo, hi, 0.15));
        return ((0.0, 1.0), (lo, hi));
    };
    let cut = x0 + 0.05 * (x1 - x0);
    let late =
        |s: &[(f64, f64)]| -> Vec<f64> { s.iter().filter(|p| p.0 >= cut).map(|p| p.1).collect() };
    let ys = |s: &[(f64, f64)]| -> Vec<f64> { s.iter().map(|p| p.1).collect() };
    let top = [
        quantile(&late(train), 0.99),
        min_max(late(smooth)).map(|m| m.1),
        min_max(late(val)).map(|m| m.1),
        min_max(baselines.iter().map(|b| b.1)).map(|m| m.1),
    ];
    let bottom = [
        quantile(&ys(train), 0.01),
        min_max(ys(smooth)).map(|m| m.0),
        min_max(ys(val)).map(|m| m.0),
        min_max(baselines.iter().map(|b| b.1)).map(|m| m.0),
    ];
    let hi = top.into_iter().flatten().fold(f64::MIN, f64::max);
    let lo = bottom.into_iter().flatten().fold(f64::MAX, f64::min);
    let (mut ylo, yhi) = padded(lo.min(hi), lo.max(hi), 0.06);
    if lo >= 0.0 {
        ylo = ylo.max(0.0);
    }
    let xr = if x1 > x0 {
        (x0, x1)
    } else {
        padded(x0, x1, 0.0)
    };
    (xr, (ylo, yhi))
}

fn legend_entries(
    train: &[(f64, f64)],
    smooth: &[(f64, f64)],
    val: &[(f64, f64)],
    baselines: &[(&str, f64)],
) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut add = |show: bool, label: &str, mark: Mark| {
        if show {
            let label = label.to_string();
            out.push(Entry { label, mark });
        }
    };
    add(!train.is_empty(), "train", Mark::Line(TRAIN.mix(0.35), 1));
    let smooth_mark = Mark::Line(TRAIN.mix(1.0), 2);
    add(!smooth.is_empty(), "train (smoothed)", smooth_mark);
    add(!val.is_empty(), "validation", Mark::LineDot(VAL));
    add(!baselines.is_empty(), "baselines", Mark::Dashed(BASELINE));
    out
}

/// Writes each baseline's label just above (or, if that collides, below or
/// at the left end of) its line, on a translucent white box.
fn label_baselines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    baselines: &[(&str, f64)],
    xr: (f64, f64),
) -> Result<(), RenderError> {
    let (ax, ay) = {
        let (x, y) = area.get_pixel_range();
        (x.start, y.start)
    };
    let (px, py) = chart.plotting_area().get_pixel_range();
    let style = text(LABEL_PX, &TEXT, HPos::Left, VPos::Top);
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    // Top to bottom, ties in the given order: inserted in place (two or three labels; a stable
    // sort would add its code to the wasm).
    let mut order: Vec<(String, i32)> = Vec::with_capacity(baselines.len());
    for &(name, v) in baselines {
        let y = chart.backend_coord(&(xr.0, v)).1;
        let at = order.partition_point(|b| b.1 <= y);
        order.insert(at, (baseline_label(name, v), y));
    }
    for (label, ly) in order {
        let (w, h) = (text_width(&label, LABEL_PX), (LABEL_PX * 1.2).ceil() as i32);
        let (right, left) = (px.end - 6 - w, px.start + 8);
        let candidates = [
            (right, ly - 4 - h),
            (right, ly + 4),
            (left, ly - 4 - h),
            (left, ly + 4),
        ];
        let fits = |&(x, y): &(i32, i32)| {
            y >= py.start && y + h < py.end && !placed.iter().any(|r| overlaps(*r, (x, y, w, h)))
        };
        let (x, y) = candidates
            .iter()
            .copied()
            .find(fits)
            .unwrap_or(candidates[0]);
        placed.push((x, y, w, h));
        let bg = [(x - ax - 3, y - ay - 1), (x - ax + w + 3, y - ay + h + 2)];
        area.draw(&Rectangle::new(bg, WHITE.mix(0.8).filled()))
            .map_err(draw_err("baseline label"))?;
        area.draw(&Text::new(label, (x - ax, y - ay), style.clone()))
            .map_err(draw_err("baseline label"))?;
    }
    Ok(())
}

fn baseline_label(name: &str, v: f64) -> String {
    if (0.01..1e4).contains(&v.abs()) {
        format!("{name} = {v:.2}")
    } else {
        format!("{name} = {}", super::style::fmt_value(v))
    }
}

fn overlaps(a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}
