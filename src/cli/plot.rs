//! `train --plot`: the loss curve of a run, drawn to an SVG or PNG file.

use super::run::Run;
use super::{files, Fail, Outcome};
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use rnnlab::render::{draw_loss_chart, write_png, LossChart};
use std::path::Path;

/// The points of a run's loss chart.
#[derive(Clone, Debug, Default)]
pub struct LossCurve {
    pub train: Vec<(f64, f64)>,
    pub smooth: Vec<(f64, f64)>,
    pub val: Vec<(f64, f64)>,
    pub baselines: Vec<(String, f64)>,
    pub y_label: String,
}

impl LossCurve {
    pub fn new(r: &Run) -> Self {
        let y_label = format!("loss ({})", r.loss_unit());
        LossCurve {
            baselines: r.baselines(),
            y_label,
            ..Default::default()
        }
    }

    pub fn push(&mut self, step: u64, loss: f64, smooth: f64) {
        self.train.push((step as f64, loss));
        self.smooth.push((step as f64, smooth));
    }

    pub fn push_val(&mut self, step: u64, val: Option<f64>) {
        if let Some(v) = val {
            self.val.push((step as f64, v));
        }
    }
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

/// Draws `curve` with the shared loss-chart renderer to `path` (.svg or .png), atomically.
pub fn draw(path: &Path, curve: &LossCurve) -> Outcome {
    let chart = LossChart {
        train: curve.train.clone(),
        train_smooth: curve.smooth.clone(),
        val: curve.val.clone(),
        baselines: curve.baselines.clone(),
        x_label: "step".into(),
        y_label: curve.y_label.clone(),
    };
    let fail = |e: &dyn std::fmt::Display| Fail(format!("--plot `{}`: {e}", path.display()));
    let png = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if png {
        // The PNG encoder picks the format by extension, so the temporary name ends in .png too.
        let tmp = path.with_extension("tmp.png");
        let res = write_png(&tmp, SIZE, |a| draw_loss_chart(a, &chart)).map_err(|e| fail(&e));
        let res = res.and_then(|_| std::fs::rename(&tmp, path).map_err(|e| fail(&e)));
        if res.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        return res;
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw_loss_chart(&root, &chart).map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    files::write_atomic(path, svg.as_bytes())
}
