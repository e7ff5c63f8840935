//! The lab's charts as plain data for `src/render`: loss and accuracy against the task's
//! baseline, gradient flow through time (latest step and over training), the gradient norm
//! before and after clipping, the race, the sweep and the latch.

use super::run::Run;
use super::sweep::Job;
use crate::core::model::CellKind;
use crate::core::optim::Clip;
use crate::render::{
    cell_colour, FracChart, FracSeries, LineChart, LossChart, ProfileHeatmap, RefLine, Series,
    PALETTE,
};
use plotters::style::RGBColor;

const STEP: &str = "training step";
/// Canvas text has no subscripts and Unicode no subscript capital T, so time goes in brackets.
const FLOW: &str = "‖∂L(T)/∂h(t)‖";
/// Accuracy charts run a little past 0 and 100 % so the lines at the ends show.
const FRACTION: (f64, f64) = (-0.02, 1.02);

/// The colour a cell always gets in the race and the sweep.
pub fn colour(cell: CellKind) -> RGBColor {
    cell_colour(cell.name(), cell.nonlinearity())
}

/// A lane as the race's charts show it: its run, its name and its colour.
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    pub run: &'a Run,
    pub label: &'a str,
    pub colour: RGBColor,
}

/// The lanes' colours: each cell's own when the lanes are distinct plain cells (so a colour
/// means the same cell everywhere), else the palette in lane order.
pub fn lane_colours(cells: &[(CellKind, bool)]) -> Vec<RGBColor> {
    let distinct = cells
        .iter()
        .enumerate()
        .all(|(i, a)| a.1 && cells[..i].iter().all(|b| b.0 != a.0));
    (cells.iter().enumerate())
        .map(|(i, c)| match distinct {
            true => colour(c.0),
            false => PALETTE[i % PALETTE.len()],
        })
        .collect()
}

/// `(lag, norm)` points of a profile over `t = 0..T` (the loss at `T−1`).
fn profile_points(v: &[f32]) -> Vec<(f64, f64)> {
    let n = v.len();
    v.iter()
        .enumerate()
        .map(|(t, &x)| ((n - 1 - t) as f64, f64::from(x)))
        .collect()
}

/// `(step, f(point))` of every step of a run.
fn curve(r: &Run, f: impl Fn(&super::run::Point) -> f64) -> Vec<(f64, f64)> {
    r.points.iter().map(|p| (p.step, f(p))).collect()
}

fn line(name: impl Into<String>, points: Vec<(f64, f64)>, color: RGBColor) -> Series {
    Series {
        name: name.into(),
        points,
        color: Some(color),
    }
}

/// Loss against step with the task's baseline (and the unigram entropy of a text).
pub fn loss(r: &Run) -> LossChart {
    let (bl, _, bn) = r.baseline();
    let mut baselines = vec![(bn, bl)];
    if r.unigram().is_finite() {
        baselines.push(("unigram entropy".into(), r.unigram()));
    }
    LossChart {
        train: curve(r, |p| p.loss),
        train_smooth: curve(r, |p| p.loss_smooth),
        val: Vec::new(),
        baselines,
        x_label: STEP.into(),
        y_label: if r.is_real() {
            "loss (mean squared error)".into()
        } else {
            "loss (nats)".into()
        },
    }
}

/// Accuracy (success rate) against step, raw and smoothed, with chance.
pub fn accuracy(r: &Run) -> FracChart {
    let (_, ba, bn) = r.baseline();
    let series = |name: &str, points, faint| FracSeries {
        name: name.into(),
        points,
        color: PALETTE[0],
        faint,
    };
    FracChart {
        series: vec![
            series("", curve(r, |p| p.acc), true),
            series("accuracy (smoothed)", curve(r, |p| p.acc_smooth), false),
        ],
        chance: ba.is_finite().then_some((bn, ba)),
        x_label: STEP.into(),
        y_label: "accuracy".into(),
        y_range: FRACTION,
        percent: true,
    }
}

/// `‖∂L_T/∂h_t‖` against lag for the latest step, one line per layer (log scale).
pub fn flow(r: &Run) -> LineChart {
    let series = r.diag().dh_last.iter().enumerate();
    LineChart {
        series: series
            .map(|(l, v)| {
                line(
                    format!("layer {}", l + 1),
                    profile_points(v),
                    PALETTE[l % PALETTE.len()],
                )
            })
            .collect(),
        x_label: "lag T − t (steps back from the last step)".into(),
        y_label: FLOW.into(),
        log_y: true,
        ..LineChart::default()
    }
}

/// Training step × lag of `log10 ‖∂L_T/∂h_t‖` over the kept profiles.
pub fn flow_heatmap(r: &Run) -> ProfileHeatmap {
    ProfileHeatmap {
        columns: r.flow.iter().cloned().collect(),
        rows: r.flow.back().map_or(0, |f| f.1.len()),
        x_label: STEP.into(),
        y_label: "lag T − t (steps back)".into(),
    }
}

/// Gradient norm before and after clipping per step (log scale), with the threshold.
pub fn clipping(r: &Run) -> LineChart {
    let refs = match r.trainer().clip {
        Clip::Norm(v) => vec![RefLine {
            name: format!("threshold {v}"),
            y: f64::from(v),
            color: None,
        }],
        _ => Vec::new(),
    };
    LineChart {
        series: vec![
            line("before clipping", curve(r, |p| p.grad_norm), PALETTE[1]),
            line(
                "after clipping (used for the update)",
                curve(r, |p| p.grad_norm_clipped),
                PALETTE[0],
            ),
        ],
        x_label: STEP.into(),
        y_label: "global gradient norm".into(),
        log_y: true,
        refs,
        ..LineChart::default()
    }
}

/// Smoothed loss of every lane, with the first lane's baseline once any has trained.
pub fn race_loss<'a>(lanes: impl Iterator<Item = Shown<'a>> + Clone) -> LineChart {
    let trained = lanes.clone().any(|l| l.run.steps() > 0);
    let baseline = lanes.clone().next().map(|l| l.run.baseline());
    let refs = match baseline {
        Some((y, _, name)) if y.is_finite() && trained => vec![RefLine {
            name,
            y,
            color: None,
        }],
        _ => Vec::new(),
    };
    LineChart {
        series: lanes
            .map(|l| line(l.label, curve(l.run, |p| p.loss_smooth), l.colour))
            .collect(),
        x_label: STEP.into(),
        y_label: "loss (smoothed)".into(),
        refs,
        ..LineChart::default()
    }
}

/// Smoothed accuracy of every lane, with chance.
pub fn race_accuracy<'a>(lanes: impl Iterator<Item = Shown<'a>> + Clone) -> FracChart {
    let chance = lanes.clone().next().and_then(|l| {
        let (_, ba, bn) = l.run.baseline();
        ba.is_finite().then_some((bn, ba))
    });
    FracChart {
        series: lanes
            .map(|l| FracSeries {
                name: l.label.into(),
                points: curve(l.run, |p| p.acc_smooth),
                color: l.colour,
                faint: false,
            })
            .collect(),
        chance,
        x_label: STEP.into(),
        y_label: "accuracy (smoothed)".into(),
        y_range: FRACTION,
        percent: true,
    }
}

/// `‖∂L_T/∂h_t‖` against lag for the latest step of every lane (top layer, log scale).
pub fn race_flow<'a>(lanes: impl Iterator<Item = Shown<'a>>) -> LineChart {
    let profile = |r: &Run| {
        r.diag()
            .dh_last
            .last()
            .map_or_else(Vec::new, |v| profile_points(v))
    };
    LineChart {
        series: lanes
            .map(|l| line(l.label, profile(l.run), l.colour))
            .collect(),
        x_label: "lag T − t (steps back)".into(),
        y_label: FLOW.into(),
        log_y: true,
        ..LineChart::default()
    }
}

/// Success rate against lag, one line per entry (`labels`, `colours`), with chance.
pub fn sweep(jobs: &[Job], labels: &[String], colours: &[RGBColor]) -> FracChart {
    let points = |e: usize| {
        let done = jobs.iter().filter(|j| j.entry == e);
        done.filter_map(|j| j.result.map(|r| (j.lag as f64, r.0)))
            .collect()
    };
    FracChart {
        series: (labels.iter().zip(colours).enumerate())
            .map(|(e, (name, &color))| FracSeries {
                name: name.clone(),
                points: points(e),
                color,
                faint: false,
            })
            .collect(),
        chance: Some(("chance (1 of 4)".into(), 0.25)),
        x_label: "lag (steps between the symbol and the cue)".into(),
        y_label: "success rate (held out)".into(),
        y_range: FRACTION,
        percent: true,
    }
}

/// `(t, f(value))` of a sequence.
fn over_time(v: &[f32], f: impl Fn(f32) -> f32) -> Vec<(f64, f64)> {
    v.iter()
        .enumerate()
        .map(|(t, &x)| (t as f64, f64::from(f(x))))
        .collect()
}

/// The latch's state `h_t` on ±1.
pub fn latch_state(w: f32, h: &[f32]) -> FracChart {
    FracChart {
        series: vec![FracSeries {
            name: format!("h(t) with w = {w:.2}"),
            points: over_time(h, |x| x),
            color: PALETTE[0],
            faint: false,
        }],
        chance: None,
        x_label: "time step t".into(),
        y_label: "h(t)".into(),
        y_range: (-1.05, 1.05),
        percent: false,
    }
}

/// The latch's `|∂h_T/∂h_t|` on a log scale.
pub fn latch_gradient(d: &[f32]) -> LineChart {
    LineChart {
        series: vec![line("|∂h(T)/∂h(t)|", over_time(d, f32::abs), PALETTE[1])],
        x_label: "time step t (T is the last)".into(),
        y_label: "|∂h(T)/∂h(t)|".into(),
        log_y: true,
        ..LineChart::default()
    }
}
