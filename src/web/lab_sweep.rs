//! The lag sweep: for the copy task, train each cell at increasing lags, a few milliseconds
//! per animation frame, and measure the success rate (held-out accuracy) each reaches.

use super::draw::{self, cell_colour, FracChart, FracSeries};
use super::js::{self, err, Obj};
use super::run::{Run, Session};
use super::strict_config;
use crate::core::config::Config;
use crate::core::error::Error;
use crate::core::tasks::MAX_TASK_LEN;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Held-out episodes behind each success rate.
const EVAL_EPISODES: usize = 100;
/// A job stops early once the last this-many steps averaged …
const EARLY_WINDOW: usize = 25;
/// … at least this accuracy.
const EARLY_ACC: f64 = 0.99;

struct Job {
    cell: String,
    nonlinearity: String,
    lag: usize,
    /// `(success rate, steps trained)` once done.
    result: Option<(f64, u64)>,
}

/// Copy-task runs over cells × lags, done one after another in time slices.
#[wasm_bindgen]
pub struct LabSweep {
    base: Config,
    jobs: Vec<Job>,
    next: usize,
    run: Option<Run>,
    max_steps: u64,
}

fn label(cell: &str, nl: &str) -> String {
    match cell {
        "rnn" => format!("RNN ({nl})"),
        "lstm" => "LSTM".into(),
        _ => "GRU".into(),
    }
}

#[wasm_bindgen]
impl LabSweep {
    /// `cells`: e.g. `rnn,lstm,gru` (`rnn-relu` too); `lags`: e.g. `5,10,20,30,50`; each run
    /// trains at most `max_steps` steps (fewer once it is right 99% of the time).
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, cells: &str, lags: &str, max_steps: u32) -> Result<LabSweep, JsError> {
        console_error_panic_hook::set_once();
        let mut base = strict_config(query).map_err(err)?;
        base.task = crate::core::tasks::TaskType::Copy;
        let mut lag_list = Vec::new();
        for l in lags.split(',').filter(|s| !s.trim().is_empty()) {
            let v: usize = l
                .trim()
                .parse()
                .map_err(|_| err(Error::config("lags", l, "expected numbers like 5,10,20")))?;
            if v == 0 || v > MAX_TASK_LEN {
                return Err(err(Error::config(
                    "lags",
                    v,
                    format!("each lag must be 1..={MAX_TASK_LEN}"),
                )));
            }
            lag_list.push(v);
        }
        lag_list.sort_unstable();
        lag_list.dedup();
        let mut jobs = Vec::new();
        for c in cells.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (cell, nl) = match c {
                "rnn" => ("rnn", base.nonlinearity.name().to_string()),
                "rnn-tanh" => ("rnn", "tanh".to_string()),
                "rnn-relu" => ("rnn", "relu".to_string()),
                "lstm" | "gru" => (c, "tanh".to_string()),
                other => {
                    return Err(err(Error::config(
                        "cells",
                        other,
                        "expected rnn, rnn-relu, lstm or gru",
                    )))
                }
            };
            for &lag in &lag_list {
                jobs.push(Job {
                    cell: cell.into(),
                    nonlinearity: nl.clone(),
                    lag,
                    result: None,
                });
            }
        }
        if jobs.is_empty() || jobs.len() > 60 {
            return Err(JsError::new(
                "a sweep needs 1 to 60 runs: pick some cells and lags",
            ));
        }
        Ok(LabSweep {
            base,
            jobs,
            next: 0,
            run: None,
            max_steps: u64::from(max_steps.clamp(10, 100_000)),
        })
    }

    fn config_of(&self, j: &Job) -> Result<Config, Error> {
        let mut c = self.base.clone();
        c.set("cell", &j.cell)?;
        c.set("nonlinearity", &j.nonlinearity)?;
        c.task_len = j.lag;
        c.validate()?;
        Ok(c)
    }

    fn finish(&mut self) -> Result<(), Error> {
        if let Some(run) = self.run.take() {
            let acc = match &run.session {
                Session::Task(s) => s.evaluate(EVAL_EPISODES)?.1,
                Session::Text(_) => f64::NAN,
            };
            self.jobs[self.next].result = Some((acc, run.steps()));
        }
        self.next += 1;
        Ok(())
    }

    /// Trains for about `budget_ms`; returns `{done, finished, jobs, current, step}`.
    pub fn work(&mut self, budget_ms: f64) -> Result<JsValue, JsError> {
        let t0 = js::now_ms();
        while self.next < self.jobs.len() && js::now_ms() - t0 < budget_ms {
            if self.run.is_none() {
                let c = self.config_of(&self.jobs[self.next]).map_err(err)?;
                self.run = Some(Run::new(&c, "").map_err(err)?);
            }
            let Some(run) = self.run.as_mut() else {
                break;
            };
            let ok = run.step(false).is_ok();
            let s = run.steps();
            let done = !ok
                || s >= self.max_steps
                || (s as usize >= EARLY_WINDOW && run.recent_acc(EARLY_WINDOW) >= EARLY_ACC);
            if done {
                self.finish().map_err(err)?;
            }
        }
        let current = self.jobs.get(self.next).map_or(String::new(), |j| {
            format!("{} at lag {}", label(&j.cell, &j.nonlinearity), j.lag)
        });
        Ok(Obj::new()
            .set("done", self.next >= self.jobs.len())
            .set("finished", self.next as u32)
            .set("jobs", self.jobs.len() as u32)
            .set("current", current)
            .set("step", self.run.as_ref().map_or(0.0, |r| r.steps() as f64))
            .build())
    }

    /// Finished runs: `[{label, lag, success, steps}]`.
    pub fn results(&self) -> JsValue {
        let items = self
            .jobs
            .iter()
            .filter_map(|j| {
                j.result.map(|(acc, steps)| {
                    Obj::new()
                        .set("label", label(&j.cell, &j.nonlinearity))
                        .set("lag", j.lag as u32)
                        .set("success", acc)
                        .set("steps", steps as f64)
                        .build()
                })
            })
            .collect();
        js::array(items)
    }

    /// Success rate against lag, one line per cell, with chance.
    pub fn draw(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let mut names: Vec<(String, plotters::style::RGBColor)> = Vec::new();
        for j in &self.jobs {
            let l = label(&j.cell, &j.nonlinearity);
            if !names.iter().any(|n| n.0 == l) {
                names.push((l, cell_colour(&j.cell, &j.nonlinearity)));
            }
        }
        let series = names
            .iter()
            .map(|(n, color)| FracSeries {
                name: n.clone(),
                points: self
                    .jobs
                    .iter()
                    .filter(|j| &label(&j.cell, &j.nonlinearity) == n)
                    .filter_map(|j| j.result.map(|r| (j.lag as f64, r.0)))
                    .collect(),
                color: *color,
                faint: false,
            })
            .collect();
        let c = FracChart {
            series,
            chance: Some(("chance (1 of 4)".into(), 0.25)),
            x_label: "lag (steps between the symbol and the cue)".into(),
            y_label: "success rate (held out)".into(),
            y_range: (-0.02, 1.02),
            percent: true,
        };
        draw::fractions(canvas, &c).map_err(err)
    }
}
