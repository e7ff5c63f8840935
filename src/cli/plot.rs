//! `train --plot`: the loss curve of a run, drawn to an SVG or PNG file.

use super::run::Run;
use super::{files, Fail, Outcome};
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use rnnlab::render::{draw_loss_chart, write_png, LossChart};
use std::path::Path;

/// A run's loss chart, empty, with its baselines and axis labels.
pub fn loss_chart(r: &Run) -> LossChart {
    LossChart {
        baselines: r.baselines(),
        x_label: "step".into(),
        y_label: format!("loss ({})", r.loss_unit()),
        ..Default::default()
    }
}

/// Adds one step's loss and smoothed loss (and its validation loss, if measured).
pub fn push(chart: &mut LossChart, step: u64, loss: f64, smooth: f64, val: Option<f64>) {
    let x = step as f64;
    chart.train.push((x, loss));
    chart.train_smooth.push((x, smooth));
    chart.val.extend(val.map(|v| (x, v)));
}

/// Accepts only the formats [`draw`] can write.
pub fn check_path(path: &Path) -> Outcome {
    files::check_target(path, "--plot")?;
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg" | "png") => Ok(()),
        _ => Err(Fail(format!(
            "--plot `{}`: the file name must end in .svg or .png",
            path.display()
        ))),
    }
}

/// Size of the chart image (pixels).
const SIZE: (u32, u32) = (900, 500);

/// Draws `chart` with the shared loss-chart renderer to `path` (.svg or .png), atomically.
pub fn draw(path: &Path, chart: &LossChart) -> Outcome {
    let fail = |e: &dyn std::fmt::Display| Fail(format!("--plot `{}`: {e}", path.display()));
    let png = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if png {
        // The PNG encoder picks the format by extension, so the temporary name ends in .png too.
        let tmp = path.with_extension("tmp.png");
        let res = write_png(&tmp, SIZE, |a| draw_loss_chart(a, chart)).map_err(|e| fail(&e));
        let res = res.and_then(|_| std::fs::rename(&tmp, path).map_err(|e| fail(&e)));
        if res.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        return res;
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw_loss_chart(&root, chart).map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    files::write_atomic(path, svg.as_bytes())
}
