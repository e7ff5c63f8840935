//! The lag sweep: for the copy task, train each cell at increasing lags, a few milliseconds per
//! animation frame, and measure the success rate (held-out accuracy) each reaches.

use super::charts;
use super::entry::Entry;
use super::run::{Run, Session};
use crate::core::config::Config;
use crate::core::error::{Error, Result};
use crate::core::tasks::{TaskType, MAX_TASK_LEN};
use crate::render::FracChart;
use crate::web::types::{SweepProgress, SweepResult};
use crate::web::Clock;
use plotters::style::RGBColor;

/// Held-out episodes behind each success rate.
const EVAL_EPISODES: usize = 100;
/// A job stops early once the last this-many steps averaged …
const EARLY_WINDOW: usize = 25;
/// … at least this accuracy.
const EARLY_ACC: f64 = 0.99;
/// Most runs in one sweep.
const MAX_JOBS: usize = 60;

/// One run of the sweep: an entry (its index) at a lag, and its result once done.
pub struct Job {
    pub entry: usize,
    pub lag: usize,
    /// `(success rate, steps trained)` once done.
    pub result: Option<(f64, u64)>,
}

/// Copy-task runs over cells × lags, done one after another in time slices.
pub struct LabSweep {
    base: Config,
    entries: Vec<Entry>,
    labels: Vec<String>,
    colours: Vec<RGBColor>,
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
    /// `cells`: entries, e.g. `rnn,lstm,gru` or `rnn,rnn+clip,lstm+chrono`; `lags`: e.g.
    /// `5,10,20,30,50`; each run trains at most `max_steps` steps (fewer once it is right 99% of
    /// the time).
    pub fn new(query: &str, cells: &str, lags: &str, max_steps: u32) -> Result<Self> {
        let mut base = Config::from_query_strict(query)?;
        base.task = TaskType::Copy;
        let lags = parse_lags(lags)?;
        let entries = (cells.split(',').filter(|s| !s.trim().is_empty()))
            .map(|c| Entry::parse(c, base.nonlinearity))
            .collect::<Result<Vec<_>>>()?;
        let jobs: Vec<Job> = (0..entries.len())
            .flat_map(|entry| {
                lags.iter().map(move |&lag| Job {
                    entry,
                    lag,
                    result: None,
                })
            })
            .collect();
        if jobs.is_empty() || jobs.len() > MAX_JOBS {
            let why = "a sweep needs 1 to 60 runs: pick some cells and lags";
            return Err(Error::config("cells", cells, why));
        }
        let longest = Config {
            task_len: lags.iter().copied().max().unwrap_or(base.task_len),
            ..base.clone()
        };
        for e in &entries {
            crate::web::work::check_round(
                &[e.config(&longest)?],
                "a sweep step",
                ", or the longest lag (the main model above trains in the background at any size)",
            )?;
        }
        let cells: Vec<_> = entries.iter().map(|e| (e.cell, e.plain())).collect();
        Ok(LabSweep {
            base,
            labels: entries.iter().map(Entry::label).collect(),
            colours: charts::lane_colours(&cells),
            entries,
            jobs,
            next: 0,
            run: None,
            max_steps: u64::from(max_steps.clamp(10, 100_000)),
        })
    }

    fn config_of(&self, j: &Job) -> Result<Config> {
        let mut base = self.base.clone();
        base.task_len = j.lag;
        self.entries[j.entry].config(&base)
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
            format!("{} at lag {}", self.labels[j.entry], j.lag)
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
                    label: self.labels[j.entry].clone(),
                    lag: j.lag as u32,
                    success,
                    steps: steps as f64,
                })
            })
            .collect()
    }

    /// Success rate against lag, one line per entry, with chance.
    pub fn chart(&self) -> FracChart {
        charts::sweep(&self.jobs, &self.labels, &self.colours)
    }
}
