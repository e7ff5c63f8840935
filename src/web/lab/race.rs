//! A race: RNN, LSTM and GRU (any of them) trained side by side on the same task stream from
//! the same seed, optionally with hidden sizes chosen so their parameter counts match.

use super::charts;
use super::run::{flow_stats, Run};
use crate::core::cell::Activation;
use crate::core::config::Config;
use crate::core::error::{Error, Result};
use crate::core::model::{CellKind, ModelSpec};
use crate::render::{FracChart, LineChart};
use crate::web::budget::Budget;
use crate::web::types::{Lane, RaceReport};
use crate::web::Clock;

/// Largest hidden size the equal-budget search considers.
const MAX_MATCHED_HIDDEN: usize = 1024;
/// Most cells in one race.
const MAX_LANES: usize = 4;

/// The cell a race or sweep entry names (`rnn` takes the base settings' nonlinearity).
pub fn parse_entry(name: &str, base: Activation) -> Result<CellKind> {
    Ok(match name.trim() {
        "rnn" => CellKind::Rnn(base),
        "rnn-tanh" => CellKind::Rnn(Activation::Tanh),
        "rnn-relu" => CellKind::Rnn(Activation::Relu),
        "rnn-sigmoid" => CellKind::Rnn(Activation::Sigmoid),
        "lstm" => CellKind::Lstm,
        "gru" => CellKind::Gru,
        other => {
            return Err(Error::config(
                "cells",
                other,
                "expected rnn, rnn-tanh, rnn-relu, rnn-sigmoid, lstm or gru",
            ))
        }
    })
}

/// How a cell is named in legends and tables.
pub fn label(cell: CellKind) -> String {
    match cell {
        CellKind::Rnn(Activation::Tanh) => "RNN (tanh)".into(),
        CellKind::Rnn(Activation::Relu) => "RNN (ReLU)".into(),
        CellKind::Rnn(Activation::Sigmoid) => "RNN (sigmoid)".into(),
        CellKind::Lstm => "LSTM".into(),
        CellKind::Gru => "GRU".into(),
    }
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

/// One model of the race.
pub struct RaceLane {
    pub run: Run,
    /// Why this lane stopped (it diverged), if it did.
    pub stopped: Option<String>,
}

/// Several models racing on one task.
pub struct LabRace {
    lanes: Vec<RaceLane>,
    budget: Budget,
}

impl LabRace {
    /// `cells` is a comma-separated list (`rnn,lstm,gru`); with `equal_params` the hidden sizes
    /// are matched to the parameter count of the LSTM (or the first cell) at the base size.
    pub fn new(query: &str, text: &str, cells: &str, equal_params: bool) -> Result<Self> {
        let base = Config::from_query_strict(query)?;
        let kinds = cells
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|n| parse_entry(n, base.nonlinearity))
            .collect::<Result<Vec<_>>>()?;
        if kinds.is_empty() || kinds.len() > MAX_LANES {
            return Err(Error::config(
                "cells",
                cells,
                "a race needs 1 to 4 cells, e.g. rnn,lstm,gru",
            ));
        }
        let with = |cell: CellKind, hidden: usize| {
            let mut c = base.clone();
            c.set_cell(cell);
            c.hidden = hidden;
            c.validate().map(|_| c)
        };
        // The reference model: the LSTM if racing, else the first cell, at the base size.
        let reference = kinds
            .iter()
            .copied()
            .find(|&k| k == CellKind::Lstm)
            .unwrap_or(kinds[0]);
        let spec = Run::new(&with(reference, base.hidden)?, text)?
            .model()
            .spec
            .clone();
        let target = spec.param_count();
        let mut lanes = Vec::with_capacity(kinds.len());
        for kind in kinds {
            let hidden = if equal_params {
                matched_hidden(&spec, kind, target)
            } else {
                base.hidden
            };
            let run = Run::new(&with(kind, hidden)?, text)?;
            lanes.push(RaceLane { run, stopped: None });
        }
        Ok(LabRace {
            lanes,
            budget: Budget::default(),
        })
    }

    /// Steps every running lane once per round until `max_rounds` or `budget_ms` is used up (at
    /// least one round); the last round collects diagnostics. A lane that diverges stops; the
    /// others go on.
    pub fn train_for(&mut self, max_rounds: u32, budget_ms: f64, now: Clock) -> RaceReport {
        let t0 = now();
        let lanes = &mut self.lanes;
        let round = |last: bool| {
            for lane in lanes.iter_mut().filter(|l| l.stopped.is_none()) {
                if let Err(e) = lane.run.step(last) {
                    lane.stopped = Some(e.to_string());
                }
            }
            Ok(())
        };
        let rounds = self
            .budget
            .run(max_rounds, budget_ms, now, round)
            .map_or(0, |r| r.0);
        RaceReport {
            rounds,
            ms: now() - t0,
        }
    }

    /// Every lane as the table shows it.
    pub fn lanes(&self) -> Vec<Lane> {
        self.lanes
            .iter()
            .map(|l| {
                let r = &l.run;
                let spec = &r.model().spec;
                let f = r.diag().dh_last.last().map(|v| flow_stats(v));
                Lane {
                    label: label(spec.cell),
                    cell: spec.cell.name(),
                    nonlinearity: spec.cell.nonlinearity(),
                    colour: crate::render::css(charts::colour(spec.cell)),
                    hidden: spec.hidden as u32,
                    params: spec.param_count() as f64,
                    step: r.steps() as f64,
                    loss: r.smooth_loss(),
                    accuracy: r.smooth_acc(),
                    fall: f.map_or(f64::NAN, |f| f.fall),
                    shrink: f.map_or(f64::NAN, |f| f.shrink),
                    stopped: l.stopped.clone(),
                }
            })
            .collect()
    }

    /// Smoothed loss of every lane, with the first lane's baseline.
    pub fn loss_chart(&self) -> LineChart {
        charts::race_loss(self.lanes.iter().map(|l| &l.run))
    }

    /// Smoothed accuracy of every lane, with chance.
    pub fn accuracy_chart(&self) -> FracChart {
        charts::race_accuracy(self.lanes.iter().map(|l| &l.run))
    }

    /// `‖∂L_T/∂h_t‖` against lag for the latest step of every lane (top layer).
    pub fn flow_chart(&self) -> LineChart {
        charts::race_flow(self.lanes.iter().map(|l| &l.run))
    }
}
