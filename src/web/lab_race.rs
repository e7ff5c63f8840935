//! A race: RNN, LSTM and GRU (any of them) trained side by side on the same task stream from
//! the same seed, optionally with hidden sizes chosen so their parameter counts match.

use super::draw::{self, cell_colour, FracChart, FracSeries};
use super::js::{self, err, Obj};
use super::run::{flow_stats, Run};
use super::{flat, profile_points, strict_config};
use crate::core::config::Config;
use crate::core::error::Error;
use crate::core::model::{CellKind, ModelSpec};
use crate::render::{LineChart, Series};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Largest hidden size the equal-budget search considers.
const MAX_MATCHED_HIDDEN: usize = 1024;

struct Lane {
    label: String,
    run: Run,
    /// Why this lane stopped (it diverged), if it did.
    stopped: Option<String>,
}

/// `(cell, nonlinearity, label)` of a race entry name.
fn parse_cell(name: &str, base_nl: &str) -> Result<(&'static str, String, String), Error> {
    Ok(match name.trim() {
        "rnn" => ("rnn", base_nl.to_string(), format!("RNN ({base_nl})")),
        "rnn-tanh" => ("rnn", "tanh".into(), "RNN (tanh)".into()),
        "rnn-relu" => ("rnn", "relu".into(), "RNN (ReLU)".into()),
        "lstm" => ("lstm", "tanh".into(), "LSTM".into()),
        "gru" => ("gru", "tanh".into(), "GRU".into()),
        other => {
            return Err(Error::config(
                "race",
                other,
                "expected rnn, rnn-tanh, rnn-relu, lstm or gru",
            ))
        }
    })
}

/// The hidden size of `cell` whose parameter count is closest to `target` (same other sizes).
fn matched_hidden(spec: &ModelSpec, cell: CellKind, target: usize) -> usize {
    let count = |h: usize| {
        ModelSpec {
            cell,
            hidden: h,
            ..spec.clone()
        }
        .param_count()
    };
    (1..=MAX_MATCHED_HIDDEN)
        .min_by_key(|&h| count(h).abs_diff(target))
        .unwrap_or(spec.hidden)
}

/// Several models racing on one task.
#[wasm_bindgen]
pub struct LabRace {
    lanes: Vec<Lane>,
    ms_per_round: f64,
}

#[wasm_bindgen]
impl LabRace {
    /// `cells` is a comma-separated list (`rnn,lstm,gru`); with `equal_params` the hidden
    /// sizes are matched to the parameter count of the LSTM (or the first cell) at `hidden`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        query: &str,
        text: &str,
        cells: &str,
        equal_params: bool,
    ) -> Result<LabRace, JsError> {
        console_error_panic_hook::set_once();
        let base = strict_config(query).map_err(err)?;
        let names: Vec<&str> = cells.split(',').filter(|s| !s.trim().is_empty()).collect();
        if names.is_empty() || names.len() > 4 {
            return Err(JsError::new("a race needs 1 to 4 cells, e.g. rnn,lstm,gru"));
        }
        let parsed = names
            .iter()
            .map(|n| parse_cell(n, base.nonlinearity.name()))
            .collect::<Result<Vec<_>, Error>>()
            .map_err(err)?;
        let with = |cell: &str, nl: &str, hidden: usize| -> Result<Config, Error> {
            let mut c = base.clone();
            c.set("cell", cell)?;
            c.set("nonlinearity", nl)?;
            c.hidden = hidden;
            c.validate()?;
            Ok(c)
        };
        // The reference model: the LSTM if racing, else the first cell, at the base size.
        let refi = parsed.iter().position(|p| p.0 == "lstm").unwrap_or(0);
        let ref_cfg = with(parsed[refi].0, &parsed[refi].1, base.hidden).map_err(err)?;
        let ref_run = Run::new(&ref_cfg, text).map_err(err)?;
        let spec = ref_run.model().spec.clone();
        let target = spec.param_count();
        let mut lanes = Vec::with_capacity(parsed.len());
        for (cell, nl, label) in parsed {
            let kind = CellKind::parse(cell, &nl).map_err(err)?;
            let hidden = if equal_params {
                matched_hidden(&spec, kind, target)
            } else {
                base.hidden
            };
            let run = Run::new(&with(cell, &nl, hidden).map_err(err)?, text).map_err(err)?;
            lanes.push(Lane {
                label,
                run,
                stopped: None,
            });
        }
        Ok(LabRace {
            lanes,
            ms_per_round: 0.0,
        })
    }

    /// Steps every running lane once per round until `max_rounds` or `budget_ms` is used up
    /// (at least one round). A lane that diverges stops; the others go on. Returns
    /// `{rounds, ms}`.
    #[wasm_bindgen(js_name = trainFor)]
    pub fn train_for(&mut self, max_rounds: u32, budget_ms: f64) -> JsValue {
        let t0 = js::now_ms();
        let max = max_rounds.max(1);
        let mut n = 0u32;
        while n < max {
            let spent = js::now_ms() - t0;
            let probably_last = n + 1 >= max || spent + 2.0 * self.ms_per_round >= budget_ms;
            let t1 = js::now_ms();
            for lane in self.lanes.iter_mut().filter(|l| l.stopped.is_none()) {
                if let Err(e) = lane.run.step(probably_last) {
                    lane.stopped = Some(e.to_string());
                }
            }
            let dt = js::now_ms() - t1;
            self.ms_per_round = if self.ms_per_round == 0.0 {
                dt
            } else {
                0.9 * self.ms_per_round + 0.1 * dt
            };
            n += 1;
            if js::now_ms() - t0 + self.ms_per_round > budget_ms {
                break;
            }
        }
        Obj::new()
            .set("rounds", n)
            .set("ms", js::now_ms() - t0)
            .build()
    }

    /// Per lane: `{label, cell, nonlinearity, hidden, params, step, loss, accuracy, fall, shrink, stopped}`.
    pub fn lanes(&self) -> JsValue {
        let items = self
            .lanes
            .iter()
            .map(|l| {
                let r = &l.run;
                let spec = &r.model().spec;
                let f = r.diag().dh_last.last().map(|v| flow_stats(v));
                Obj::new()
                    .set("label", l.label.as_str())
                    .set("cell", spec.cell.name())
                    .set("nonlinearity", spec.cell.nonlinearity())
                    .set("hidden", spec.hidden as u32)
                    .set("params", spec.param_count() as f64)
                    .set("step", r.steps() as f64)
                    .set("loss", r.smooth_loss())
                    .set("accuracy", r.smooth_acc())
                    .set("fall", f.map_or(f64::NAN, |f| f.fall))
                    .set("shrink", f.map_or(f64::NAN, |f| f.shrink))
                    .set(
                        "stopped",
                        l.stopped
                            .as_deref()
                            .map_or(JsValue::NULL, JsValue::from_str),
                    )
                    .build()
            })
            .collect();
        js::array(items)
    }

    fn colour(&self, i: usize) -> plotters::style::RGBColor {
        let c = self.lanes[i].run.model().spec.cell;
        cell_colour(c.name(), c.nonlinearity())
    }

    /// Smoothed loss of every lane.
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let mut series: Vec<Series> = self
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| Series {
                name: l.label.clone(),
                points: l
                    .run
                    .points
                    .iter()
                    .map(|p| (p.step, p.loss_smooth))
                    .collect(),
                color: Some(self.colour(i)),
            })
            .collect();
        if let Some(l) = self.lanes.first() {
            let (bl, _, bn) = l.run.baseline();
            let last = self.lanes.iter().map(|l| l.run.steps()).max().unwrap_or(0);
            if bl.is_finite() && last > 0 {
                series.push(Series {
                    name: bn,
                    points: flat(1.0, last as f64, bl),
                    color: Some(plotters::style::RGBColor(150, 150, 150)),
                });
            }
        }
        let chart = LineChart {
            series,
            x_label: "training step".into(),
            y_label: "loss (smoothed)".into(),
            log_y: false,
            title: String::new(),
        };
        draw::lines(canvas, &chart).map_err(err)
    }

    /// Smoothed accuracy of every lane, with chance.
    #[wasm_bindgen(js_name = drawAccuracy)]
    pub fn draw_accuracy(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let series = self
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| FracSeries {
                name: l.label.clone(),
                points: l
                    .run
                    .points
                    .iter()
                    .map(|p| (p.step, p.acc_smooth))
                    .collect(),
                color: self.colour(i),
                faint: false,
            })
            .collect();
        let chance = self.lanes.first().and_then(|l| {
            let (_, ba, bn) = l.run.baseline();
            ba.is_finite().then_some((bn, ba))
        });
        let c = FracChart {
            series,
            chance,
            x_label: "training step".into(),
            y_label: "accuracy (smoothed)".into(),
            y_range: (-0.02, 1.02),
            percent: true,
        };
        draw::fractions(canvas, &c).map_err(err)
    }

    /// `‖∂L_T/∂h_t‖` against lag for the latest step of every lane (top layer, log scale).
    #[wasm_bindgen(js_name = drawFlow)]
    pub fn draw_flow(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let series = self
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| Series {
                name: l.label.clone(),
                points: l
                    .run
                    .diag()
                    .dh_last
                    .last()
                    .map_or_else(Vec::new, |v| profile_points(v)),
                color: Some(self.colour(i)),
            })
            .collect();
        let chart = LineChart {
            series,
            x_label: "lag T − t (steps back)".into(),
            y_label: "‖∂L_T/∂h_t‖".into(),
            log_y: true,
            title: String::new(),
        };
        draw::lines(canvas, &chart).map_err(err)
    }
}
