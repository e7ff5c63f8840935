//! The lab's state space: the top layer's states on fresh episodes of the task (or on the
//! held-out text), on their first two principal components, with the fixed points of the
//! dynamics under zero input drawn over them. The search runs a few iterations per frame on a
//! copy of the model, so training can go on meanwhile.

use super::run::Session;
use super::Lab;
use crate::core::error::{Error, Result};
use crate::core::fixed::{
    task_states, token_states, Dynamics, FixedPoint, Opts, Search, TaskStates,
};
use crate::core::pca::{pca, Projection};
use crate::render::{FixedMark, Trajectory};
use crate::web::types::StatesReport;
use crate::web::Clock;

/// Episodes whose states are drawn and started from.
const EPISODES: usize = 8;
/// Characters of held-out text run for a text model.
const TEXT_CHARS: usize = 2000;
/// The largest state the page searches: the Jacobian of an n-value state costs n backward
/// steps, and its spectral radius twelve products of n×n matrices.
pub const MAX_STATE: usize = 256;
/// Gradient iterations between looks at the clock.
const CHUNK: usize = 16;

/// One search of the lab's model as it was when the search began.
pub struct LabStates {
    states: TaskStates,
    projection: Projection,
    search: Search,
    /// The points, classified once every start has run.
    points: Option<Vec<FixedPoint>>,
    /// The training step of the model searched.
    step: u64,
    ms: f64,
}

impl LabStates {
    /// Collects the states of `lab`'s model and sets up a search seeded by `seed`.
    pub fn new(lab: &Lab, seed: u64) -> Result<Self> {
        let run = &lab.run;
        let model = run.model();
        let n = Dynamics::new(model).dim();
        if n > MAX_STATE {
            return Err(Error::Data(format!(
                "the page's fixed-point finder takes states of at most {MAX_STATE} values; this model's has {n}: use `rnnlab fixedpoints` on its checkpoint"
            )));
        }
        let states = match &run.session {
            Session::Task(s) => task_states(model, s.info.kind, s.config.task_len, EPISODES, seed)?,
            Session::Text(s) => {
                let ids = &s.val_ids[..s.val_ids.len().min(TEXT_CHARS)];
                if ids.len() < 2 {
                    return Err(Error::Data(
                        "the text has no held-out part to run the model over".into(),
                    ));
                }
                token_states(model, ids)?
            }
        };
        let opts = Opts {
            seed,
            ..Opts::default()
        };
        Ok(LabStates {
            projection: pca(&states.h, model.spec.hidden, 2),
            search: Search::new(model, &states.visited, opts)?,
            states,
            points: None,
            step: run.steps(),
            ms: 0.0,
        })
    }

    /// Searches for about `budget_ms` of `now`'s time (at least one chunk of iterations).
    pub fn advance(&mut self, budget_ms: f64, now: Clock) -> StatesReport {
        let t0 = now();
        while self.points.is_none() {
            if self.search.advance(CHUNK) {
                self.points = Some(self.search.points());
            } else if now() - t0 >= budget_ms {
                break;
            }
        }
        self.ms += now() - t0;
        self.report()
    }

    /// How far the search is, and what it found.
    pub fn report(&self) -> StatesReport {
        let pts = self.points.as_deref().unwrap_or(&[]);
        let stable = pts.iter().filter(|p| p.stable).count();
        StatesReport {
            done: self.search.done() as u32,
            starts: self.search.starts() as u32,
            found: self.search.found() as u32,
            finished: self.points.is_some(),
            stable: stable as u32,
            unstable: (pts.len() - stable) as u32,
            max_q: pts.iter().map(|p| f64::from(p.q)).fold(f64::NAN, f64::max),
            ms: self.ms,
            step: self.step as f64,
        }
    }

    /// The states' paths, one per episode, coloured by group, with the fixed points found.
    pub fn chart(&self) -> Trajectory {
        let (s, p) = (&self.states, &self.projection);
        let (steps, episodes) = (s.steps, s.episodes);
        // One component when h has one unit.
        let k = p.explained.len().max(1);
        // Rows are time-major; the paths go episode by episode.
        let rows: Vec<usize> = (0..episodes)
            .flat_map(|b| (0..steps).map(move |t| t * episodes + b))
            .collect();
        let at = |c: &[f32]| {
            let x = |i: usize| f64::from(c.get(i).copied().unwrap_or(0.0));
            (x(0), x(1))
        };
        let fixed = self.points.as_deref().unwrap_or(&[]).iter();
        let pct = |k: usize| 100.0 * p.explained.get(k).copied().unwrap_or(0.0);
        Trajectory {
            points: rows.iter().map(|&r| at(&p.coords[k * r..])).collect(),
            group: rows.iter().map(|&r| s.group[r]).collect(),
            groups: s.groups.clone(),
            breaks: (1..episodes).map(|b| b * steps).collect(),
            fixed: fixed
                .map(|f| FixedMark {
                    at: at(&p.project(&f.h)),
                    stable: f.stable,
                })
                .collect(),
            x_label: format!("first principal component of h ({:.0}%)", pct(0)),
            y_label: format!("second ({:.0}%)", pct(1)),
            highlight: None,
        }
    }

    /// The points found (empty until the search ends), slowest first.
    pub fn points(&self) -> &[FixedPoint] {
        self.points.as_deref().unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests;
