//! A race: cells, alone or with remedies (`rnn,rnn+clip,lstm+chrono`, see [`super::entry`]),
//! trained side by side on the same task stream from the same seed, optionally with hidden sizes
//! chosen so their parameter counts match.

use super::charts::{self, Shown};
use super::entry::Entry;
use super::run::{flow_stats, Run};
use crate::core::config::Config;
use crate::core::error::{Error, Result};
use crate::core::model::{CellKind, ModelSpec};
use crate::render::{FracChart, LineChart};
use crate::web::budget::Budget;
use crate::web::types::{Lane, RaceReport};
use crate::web::Clock;
use plotters::style::RGBColor;

/// Largest hidden size the equal-budget search considers.
const MAX_MATCHED_HIDDEN: usize = 1024;
/// Most lanes in one race (one per palette colour).
const MAX_LANES: usize = 8;

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
    pub label: String,
    pub colour: RGBColor,
    /// Why this lane stopped (it diverged), if it did.
    pub stopped: Option<String>,
}

/// Several models racing on one task.
pub struct LabRace {
    lanes: Vec<RaceLane>,
    budget: Budget,
}

impl LabRace {
    /// `cells` is a comma-separated list of entries (`rnn,lstm,gru`, `rnn,rnn+clip`); with
    /// `equal_params` the hidden sizes are matched to the parameter count of the first LSTM
    /// entry (or the first entry) at the base size.
    pub fn new(query: &str, text: &str, cells: &str, equal_params: bool) -> Result<Self> {
        let base = Config::from_query_strict(query)?;
        let entries = cells
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|n| Entry::parse(n, base.nonlinearity))
            .collect::<Result<Vec<_>>>()?;
        if entries.is_empty() || entries.len() > MAX_LANES {
            let why = format!("a race needs 1 to {MAX_LANES} entries, e.g. rnn,lstm,gru");
            return Err(Error::config("cells", cells, why));
        }
        let with = |e: &Entry, hidden: usize| {
            let mut c = e.config(&base)?;
            c.hidden = hidden;
            c.validate().map(|_| c)
        };
        let plain = entries.iter().map(|e| with(e, base.hidden));
        crate::web::work::check_round(
            &plain.collect::<Result<Vec<_>>>()?,
            "a race round",
            ", the lag, or the number of entries (the main model above trains in the background at any size)",
        )?;
        let reference = (entries.iter())
            .find(|e| e.cell == CellKind::Lstm)
            .unwrap_or(&entries[0]);
        let spec = Run::new(&with(reference, base.hidden)?, text)?
            .model()
            .spec
            .clone();
        let target = spec.param_count();
        let cells: Vec<_> = entries.iter().map(|e| (e.cell, e.plain())).collect();
        let colours = charts::lane_colours(&cells);
        let mut lanes = Vec::with_capacity(entries.len());
        for (e, colour) in entries.iter().zip(colours) {
            let hidden = if equal_params {
                matched_hidden(&spec, e.cell, target)
            } else {
                base.hidden
            };
            lanes.push(RaceLane {
                run: Run::new(&with(e, hidden)?, text)?,
                label: e.label(),
                colour,
                stopped: None,
            });
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
                    label: l.label.clone(),
                    cell: spec.cell.name(),
                    nonlinearity: spec.cell.nonlinearity(),
                    colour: crate::render::css(l.colour),
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

    /// The lanes as the charts show them.
    fn shown(&self) -> impl Iterator<Item = Shown<'_>> + Clone {
        self.lanes.iter().map(|l| Shown {
            run: &l.run,
            label: &l.label,
            colour: l.colour,
        })
    }

    /// Smoothed loss of every lane, with the first lane's baseline.
    pub fn loss_chart(&self) -> LineChart {
        charts::race_loss(self.shown())
    }

    /// Smoothed accuracy of every lane, with chance.
    pub fn accuracy_chart(&self) -> FracChart {
        charts::race_accuracy(self.shown())
    }

    /// `‖∂L_T/∂h_t‖` against lag for the latest step of every lane (top layer).
    pub fn flow_chart(&self) -> LineChart {
        charts::race_flow(self.shown())
    }
}
