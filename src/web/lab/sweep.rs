//! The lag sweep: for the copy task, train each cell at increasing lags, a few milliseconds per
//! animation frame, and measure the success rate (held-out accuracy) each reaches.

use super::charts;
use super::race::{label, parse_entry};
use super::run::{Run, Session};
use crate::core::config::Config;
use crate::core::error::{Error, Result};
use crate::core::model::CellKind;
use crate::core::tasks::{TaskType, MAX_TASK_LEN};
use crate::render::FracChart;
use crate::web::types::{SweepProgress, SweepResult};
use crate::web::Clock;

/// Held-out episodes behind each success rate.
const EVAL_EPISODES: usize = 100;
/// A job stops early once the last this-many steps averaged …
const EARLY_WINDOW: usize = 25;
/// … at least this accuracy.
const EARLY_ACC: f64 = 0.99;
/// Most runs in one sweep.
const MAX_JOBS: usize = 60;

/// One run of the sweep: a cell at a lag, and its result once done.
pub struct Job {
    pub cell: CellKind,
    pub lag: usize,
    /// `(success rate, steps trained)` once done.
    pub result: Option<(f64, u64)>,
}

/// Copy-task runs over cells × lags, done one after another in time slices.
pub struct LabSweep {
    base: Config,
    jobs: Vec<Job>,
    next: usize,
    run: Option<Run>,
    max_steps: u64,
}

/// The lags of a list like `5,10,20`, sorted, without repeats.
fn parse_lags(lags: &str) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for l in lags.split(',').filter(|s| !s.trim().is_empty()) {
        let v: usize = l
            .trim()
            .parse()
            .map_err(|_| Error::config("lags", l, "expected numbers like 5,10,20"))?;
        if v == 0 || v > MAX_TASK_LEN {
            let why = format!("each lag must be 1..={MAX_TASK_LEN}");
            return Err(Error::config("lags", v, why));
        }
        // Kept sorted by inserting (a handful of lags; a sort would add its code to the wasm).
        if let Err(at) = out.binary_search(&v) {
            out.insert(at, v);
        }
    }
    Ok(out)
}

impl LabSweep {
    /// `cells`: e.g. `rnn,lstm,gru` (`rnn-relu` and `rnn-sigmoid` too); `lags`: e.g. `5,10,20,30,50`; each run
    /// trains at most `max_steps` steps (fewer once it is right 99% of the time).
    pub fn new(query: &str, cells: &str, lags: &str, max_steps: u32) -> Result<Self> {
        let mut base = Config::from_query_strict(query)?;
        base.task = TaskType::Copy;
        let lags = parse_lags(lags)?;
        let mut jobs = Vec::new();
        for c in cells.split(',').filter(|s| !s.trim().is_empty()) {
            let cell = parse_entry(c, base.nonlinearity)?;
            jobs.extend(lags.iter().map(|&lag| Job {
                cell,
                lag,
                result: None,
            }));
        }
        if jobs.is_empty() || jobs.len() > MAX_JOBS {
            let why = "a sweep needs 1 to 60 runs: pick some cells and lags";
            return Err(Error::config("cells", cells, why));
        }
        Ok(LabSweep {
            base,
            jobs,
            next: 0,
            run: None,
            max_steps: u64::from(max_steps.clamp(10, 100_000)),
        })
    }

    fn config_of(&self, j: &Job) -> Result<Config> {
        let mut c = self.base.clone();
        c.set_cell(j.cell);
        c.task_len = j.lag;
        c.validate().map(|_| c)
    }

    /// Scores the current run and moves to the next job.
    fn finish(&mut self) -> Result<()> {
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

    /// Whether the current run has trained enough: it failed, hit the step limit or is right
    /// 99% of the time.
    fn done(&self, run: &Run, ok: bool) -> bool {
        let s = run.steps();
        !ok || s >= self.max_steps
            || (s as usize >= EARLY_WINDOW && run.recent_acc(EARLY_WINDOW) >= EARLY_ACC)
    }

    /// Trains for about `budget_ms`.
    pub fn work(&mut self, budget_ms: f64, now: Clock) -> Result<SweepProgress> {
        let t0 = now();
        while self.next < self.jobs.len() && now() - t0 < budget_ms {
            if self.run.is_none() {
                let c = self.config_of(&self.jobs[self.next])?;
                self.run = Some(Run::new(&c, "")?);
            }
            let Some(run) = self.run.as_mut() else {
                break;
            };
            let ok = run.step(false).is_ok();
            if self.run.as_ref().is_some_and(|r| self.done(r, ok)) {
                self.finish()?;
            }
        }
        let current = self.jobs.get(self.next).map_or(String::new(), |j| {
            format!("{} at lag {}", label(j.cell), j.lag)
        });
        Ok(SweepProgress {
            done: self.next >= self.jobs.len(),
            finished: self.next as u32,
            jobs: self.jobs.len() as u32,
            current,
            step: self.run.as_ref().map_or(0.0, |r| r.steps() as f64),
        })
    }

    /// Finished runs.
    pub fn results(&self) -> Vec<SweepResult> {
        self.jobs
            .iter()
            .filter_map(|j| {
                j.result.map(|(success, steps)| SweepResult {
                    label: label(j.cell),
                    lag: j.lag as u32,
                    success,
                    steps: steps as f64,
                })
            })
            .collect()
    }

    /// Success rate against lag, one line per cell, with chance.
    pub fn chart(&self) -> FracChart {
        charts::sweep(&self.jobs)
    }
}
