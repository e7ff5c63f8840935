//! The Series page: a model learning the next value of one column of a CSV (a bundled series or
//! an upload), trained a frame at a time with MSE, and its forecast from a cut point the user
//! drags, scored beside the naive baselines. The numbers come from `core::series`.

use super::budget::Budget;
use super::lab::Point;
use super::types::{ForecastScores, SeriesInfo, StepReport, TrainReport};
use super::{Clock, Training};
use crate::core::average::Ema;
use crate::core::config::Config;
use crate::core::diag::Diagnose;
use crate::core::error::{Error, Result};
use crate::core::model::CellType;
use crate::core::series::csv::Table;
use crate::core::series::forecast;
use crate::core::series::session::SeriesSession;
use crate::core::series::Series;
use crate::core::session::apply_live;
use crate::render::{x_value_at, ForecastChart, LossChart};

/// The page's starting point: a small GRU on windows of 36 values.
fn series_defaults() -> Config {
    Config {
        cell: CellType::Gru,
        hidden: 32,
        seq_len: 36,
        batch: 16,
        lr: 0.005,
        seed: 2,
        ..Config::default()
    }
}

/// The numeric columns of a CSV (those with a number in the first row); an error when there is
/// none, naming the columns.
pub fn columns(csv: &str) -> Result<Vec<String>> {
    let table = Table::parse(csv)?;
    table.pick(None)?;
    Ok(table.numeric_columns())
}

/// The settings table for the Series page: the common one, with attention marked as not
/// applying (a series model forecasts one value at a time, past the window attention reads).
pub fn settings_table(config: &Config) -> Vec<crate::web::types::SettingInfo> {
    let mut t = crate::web::page::settings_table(config);
    for s in t.iter_mut().filter(|s| s.key == "attention") {
        s.applies = false;
    }
    t
}

/// One model learning a series.
pub struct SeriesLab {
    session: SeriesSession,
    points: Vec<Point>,
    loss_ema: Ema,
    budget: Budget,
    diverged: bool,
    baseline: f64,
}

impl SeriesLab {
    /// A fresh model for `query` on column `column` of `csv`; nothing is kept on an error.
    pub fn new(query: &str, csv: &str, column: &str) -> Result<Self> {
        let config = Config::from_query_strict(query)?;
        let way_out = " (the CLI's `rnnlab train --series` trains any size)";
        super::work::check_round(std::slice::from_ref(&config), "a training step", way_out)?;
        let series = Series::from_csv(csv, Some(column))?;
        let mut session = SeriesSession::new(&config, series)?;
        session.trainer.diagnose = Diagnose::Off;
        let baseline = session.last_value_mse();
        Ok(SeriesLab {
            session,
            points: Vec::new(),
            loss_ema: Ema::new(Ema::CURVE),
            budget: Budget::default(),
            diverged: false,
            baseline,
        })
    }

    pub fn info(&self) -> SeriesInfo {
        let s = &self.session.series;
        SeriesInfo {
            column: s.column.clone(),
            len: s.values.len() as u32,
            train_len: s.train_len as u32,
            mean: s.norm.mean,
            std: s.norm.std,
            window: self.session.config.seq_len as u32,
            parameters: self.session.trainer.model.spec.param_count() as f64,
            baseline_loss: self.baseline,
        }
    }

    /// The smoothed training loss (NaN before the first step).
    pub fn smooth_loss(&self) -> f64 {
        self.loss_ema.value()
    }

    /// The cut clamped to where a forecast can start (after one value, before the end).
    fn clamp_cut(&self, cut: usize) -> usize {
        cut.clamp(1, self.session.series.values.len() - 1)
    }

    /// The forecast of `horizon` values from `cut` (clamped into the series; the horizon is cut
    /// short at its end), its scores (`season` 0 has no seasonal baseline), and the chart of the
    /// whole series with it.
    pub fn forecast(
        &self,
        cut: usize,
        horizon: usize,
        season: usize,
    ) -> Result<(ForecastScores, ForecastChart)> {
        let s = &self.session.series;
        let n = s.values.len();
        let cut = self.clamp_cut(cut);
        let horizon = horizon.clamp(1, n - cut);
        let scored = self.session.score(cut, horizon, season)?;
        let one_step = self.session.one_step(1, n)?;
        let truth = &s.values[cut..cut + horizon];
        let scores = ForecastScores {
            cut: cut as u32,
            horizon: horizon as u32,
            mse: scored.mse,
            naive_mse: scored.naive_mse,
            seasonal_mse: scored.seasonal_mse.unwrap_or(f64::NAN),
            one_step_mse: forecast::mse(&one_step[cut - 1..cut - 1 + horizon], truth),
        };
        let chart = ForecastChart {
            truth: s.values.iter().map(|&v| f64::from(v)).collect(),
            first: 0,
            one_step,
            forecast: scored.forecast,
            cut,
            train_end: s.train_len,
            y_label: s.column.clone(),
        };
        Ok((scores, chart))
    }

    /// The cut point under pixel column `x` of the forecast chart `width` pixels wide.
    pub fn cut_at(&self, width: f64, x: f64) -> usize {
        let last = (self.session.series.values.len() - 1) as f64;
        self.clamp_cut(x_value_at(width, x, 0.0, last).round() as usize)
    }

    /// One step, recorded for the loss chart.
    fn train_step(&mut self) -> Result<StepReport> {
        let st = match self.session.step() {
            Ok(st) => st,
            Err(e) => {
                self.diverged = matches!(e, Error::Diverged { .. });
                return Err(e);
            }
        };
        self.diverged = false;
        let smooth = self.loss_ema.push(f64::from(st.loss));
        self.points.push(Point {
            step: st.step as f64,
            loss: f64::from(st.loss),
            loss_smooth: smooth,
            acc: f64::NAN,
            acc_smooth: f64::NAN,
            grad_norm: f64::from(st.grad_norm),
            grad_norm_clipped: f64::from(st.grad_norm_clipped),
            clipped: st.clipped,
        });
        Ok(StepReport::new(&st, smooth))
    }
}

impl Training for SeriesLab {
    fn defaults() -> Config {
        series_defaults()
    }

    fn step(&mut self) -> Result<StepReport> {
        self.train_step()
    }

    fn train_for(&mut self, max_steps: u32, budget_ms: f64, now: Clock) -> Result<TrainReport> {
        let t0 = now();
        let mut budget = std::mem::take(&mut self.budget);
        let run = budget.run(max_steps, budget_ms, now, |_| self.train_step());
        self.budget = budget;
        let (steps, last) = run?;
        Ok(TrainReport {
            steps,
            ms: now() - t0,
            val_ms: 0.0,
            last,
        })
    }

    fn diverged(&self) -> bool {
        self.diverged
    }

    fn rollback(&mut self) -> u64 {
        let step = self.session.trainer.rollback();
        self.points.retain(|p| p.step <= step as f64);
        let mut l = Ema::new(Ema::CURVE);
        for p in &mut self.points {
            p.loss_smooth = l.push(p.loss);
        }
        self.loss_ema = l;
        self.diverged = false;
        apply_live(&self.session.config, &mut self.session.trainer);
        step
    }

    fn steps(&self) -> u64 {
        self.session.trainer.steps()
    }

    fn query(&self) -> String {
        self.session.config.to_query()
    }

    fn set_live(&mut self, key: &str, value: &str) -> Result<String> {
        self.session.config.set_live(key, value)?;
        apply_live(&self.session.config, &mut self.session.trainer);
        Ok(self.query())
    }

    fn loss_chart(&self) -> LossChart {
        let curve = |f: fn(&Point) -> f64| self.points.iter().map(|p| (p.step, f(p))).collect();
        LossChart {
            train: curve(|p| p.loss),
            train_smooth: curve(|p| p.loss_smooth),
            val: Vec::new(),
            baselines: vec![("repeat the last value".into(), self.baseline)],
            x_label: "training step".into(),
            y_label: "MSE (normalised)".into(),
        }
    }

    fn history_csv(&self) -> String {
        super::csv::lab_history(&self.points)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv() -> String {
        let mut s = String::from("day,temp,<b>label</b>\n");
        for i in 0..300 {
            let v = 10.0 + 5.0 * (i as f64 * std::f64::consts::TAU / 20.0).sin();
            s += &format!("{i},{v},x\n");
        }
        s
    }

    #[test]
    fn trains_and_scores_the_forecast_like_the_core() {
        let q = format!(
            "{}&hidden=8&seq-len=20&batch=4",
            series_defaults().to_query()
        );
        assert_eq!(columns(&csv()).unwrap(), ["day", "temp"]);
        let mut lab = SeriesLab::new(&q, &csv(), "temp").unwrap();
        let clock = || 0.0;
        let r = lab.train_for(30, 1e9, &clock).unwrap();
        assert_eq!((r.steps, lab.steps()), (30, 30));
        let info = lab.info();
        assert_eq!((info.len, info.train_len, info.window), (300, 240, 20));
        let (sc, chart) = lab.forecast(250, 20, 20).unwrap();
        let core = lab.session.score(250, 20, 20).unwrap();
        assert_eq!((sc.mse, sc.naive_mse), (core.mse, core.naive_mse));
        assert!(sc.seasonal_mse < 1e-9, "one period earlier is exact");
        let one = lab.session.one_step(250, 270).unwrap();
        let truth = &lab.session.series.values[250..270];
        assert_eq!(sc.one_step_mse, forecast::mse(&one, truth));
        assert_eq!(chart.forecast, core.forecast);
        assert_eq!(
            (chart.one_step.len(), chart.cut, chart.train_end),
            (299, 250, 240)
        );
        // The cut and the horizon are kept inside the series.
        let (end, _) = lab.forecast(1000, 50, 0).unwrap();
        assert_eq!((end.cut, end.horizon), (299, 1));
        assert!(end.seasonal_mse.is_nan());
        assert_eq!(lab.cut_at(1000.0, 0.0), 1);
        assert_eq!(lab.cut_at(1000.0, 1e6), 299);
    }

    #[test]
    fn bad_input_is_an_error_and_the_header_stays_text() {
        let e = columns("a,b\nx,y\n").unwrap_err().to_string();
        assert!(e.contains("no numeric column"), "{e}");
        let q = series_defaults().to_query();
        let e = SeriesLab::new(&q, "v\n1\n2\n3\n", "v")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("too short") && e.contains("seq-len 36"), "{e}");
        let big = Config {
            hidden: 1024,
            layers: 4,
            ..series_defaults()
        };
        let e = SeriesLab::new(&big.to_query(), &csv(), "v")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("hidden (1024)") && e.contains("rnnlab train --series"),
            "{e}"
        );
        let e = SeriesLab::new(&q, &csv(), "<b>label</b>")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("\"<b>label</b>\"") && e.contains("row 1"), "{e}");
    }
}
