//! The search for fixed points: Adam on `q` from each start, Newton's method on what it brings
//! close, duplicates merged, each point classified. [`Search`] runs it a few iterations at a
//! time so a page can spread it over frames.

use super::{spectral_radius, Dynamics, FixedPoint, Opts};
use crate::core::error::{Error, Result};
use crate::core::model::Model;
use crate::core::rng::Rng;

/// Points Adam leaves with `q` under this are polished by Newton's method.
const NEWTON_BELOW: f32 = 1e-4;

/// Runs the finder from `opts.starts` states drawn (seeded) from `visited` (each a full state
/// `s`, `[h; c]` for an LSTM) with a little noise; returns the distinct points with `q` below
/// the tolerance, slowest first.
pub fn find(model: &Model, visited: &[Vec<f32>], opts: Opts) -> Result<Vec<FixedPoint>> {
    let mut search = Search::new(model, visited, opts)?;
    while !search.advance(usize::MAX) {}
    Ok(search.points())
}

/// The finder run a few iterations at a time, so a page can spread it over frames: the same
/// starts in the same order, so the same points as [`find`] however the work is split. It keeps a
/// copy of the model, so training on may go on meanwhile.
pub struct Search {
    model: Model,
    visited: Vec<Vec<f32>>,
    opts: Opts,
    rng: Rng,
    /// The start being minimised, if one is under way.
    current: Option<Start>,
    done: usize,
    found: Vec<(Vec<f32>, f32)>,
}

impl Search {
    /// A search of `model`'s dynamics from `visited` states; checks their length.
    pub fn new(model: &Model, visited: &[Vec<f32>], opts: Opts) -> Result<Self> {
        let n = Dynamics::new(model).dim();
        if visited.is_empty() || visited.iter().any(|s| s.len() != n) {
            return Err(Error::Data(format!(
                "the fixed-point finder needs visited states of {n} values each"
            )));
        }
        Ok(Search {
            model: model.clone(),
            visited: visited.to_vec(),
            opts,
            rng: Rng::new(opts.seed),
            current: None,
            done: 0,
            found: Vec::new(),
        })
    }

    /// Runs up to `iters` more gradient iterations (a start that ends also gets its Newton
    /// polish and is merged); true when every start has run.
    pub fn advance(&mut self, iters: usize) -> bool {
        let (d, o) = (Dynamics::new(&self.model), self.opts);
        let mut left = iters;
        while left > 0 && !self.finished() {
            let rng = &mut self.rng;
            let visited = &self.visited;
            let start = self.current.get_or_insert_with(|| {
                let mut s = visited[rng.below(visited.len())].clone();
                s.iter_mut().for_each(|v| *v += o.noise * rng.normal());
                Start::new(s)
            });
            left -= 1;
            if start.step(&d, &o) {
                let Start { mut s, q, .. } = self.current.take().expect("a start in progress");
                let q = q.min(d.q_and_grad(&s).0);
                // Newton finishes what Adam brought close (each step costs a Jacobian).
                let q = if q < NEWTON_BELOW {
                    newton(&d, &mut s, q)
                } else {
                    q
                };
                if q < o.tol_q {
                    merge_into(&mut self.found, s, q, o.merge);
                }
                self.done += 1;
            }
        }
        self.finished()
    }

    /// Starts in all.
    pub fn starts(&self) -> usize {
        self.opts.starts
    }

    /// Starts run so far.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Every start has run.
    pub fn finished(&self) -> bool {
        self.done >= self.opts.starts
    }

    /// Distinct points found so far.
    pub fn found(&self) -> usize {
        self.found.len()
    }

    /// The points found so far, slowest first, each classified by its Jacobian.
    pub fn points(&self) -> Vec<FixedPoint> {
        let d = Dynamics::new(&self.model);
        // Slowest first by insertion (there are at most `starts` points): a library sort of this
        // type would add 3 KB to the page's wasm.
        let mut found: Vec<(Vec<f32>, f32)> = Vec::with_capacity(self.found.len());
        for p in &self.found {
            let at = found.partition_point(|x| x.1 <= p.1);
            found.insert(at, p.clone());
        }
        found.into_iter().map(|(s, q)| classify(&d, s, q)).collect()
    }
}

/// One start's Adam run in progress: the state, Adam's moments, the iteration, the latest `q`.
struct Start {
    s: Vec<f32>,
    m: Vec<f32>,
    v: Vec<f32>,
    t: usize,
    q: f32,
}

impl Start {
    fn new(s: Vec<f32>) -> Self {
        let n = s.len();
        Start {
            s,
            m: vec![0.0; n],
            v: vec![0.0; n],
            t: 0,
            q: f32::INFINITY,
        }
    }

    /// One Adam iteration on `q`; true when the run is over (converged, diverged, or out of
    /// iterations).
    fn step(&mut self, d: &Dynamics, o: &Opts) -> bool {
        let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-12f32);
        if self.t >= o.iters {
            return true;
        }
        self.t += 1;
        let (q, g) = d.q_and_grad(&self.s);
        self.q = q;
        if q < o.tol_q * 1e-3 || !q.is_finite() {
            return true;
        }
        let t = self.t as i32;
        let (c1, c2) = (1.0 - b1.powi(t), 1.0 - b2.powi(t));
        let moments = self.m.iter_mut().zip(&mut self.v);
        for ((x, g), (m, v)) in self.s.iter_mut().zip(&g).zip(moments) {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *x -= o.lr * (*m / c1) / ((*v / c2).sqrt() + eps);
        }
        false
    }
}

/// Newton's method on `F(s) = s` from a point Adam brought close: `(J − I)·δ = s − F(s)`, while
/// `q` falls. Returns the final `q`.
fn newton(d: &Dynamics, s: &mut [f32], mut q: f32) -> f32 {
    let n = d.dim();
    for _ in 0..8 {
        let mut a = d.jacobian(s);
        (0..n).for_each(|i| a[i * n + i] -= 1.0);
        let f = d.step(s);
        let mut rhs: Vec<f64> = s.iter().zip(&f).map(|(x, y)| (x - y) as f64).collect();
        if !solve(&mut a, &mut rhs, n) {
            break;
        }
        let next: Vec<f32> = s.iter().zip(&rhs).map(|(x, dx)| x + *dx as f32).collect();
        let qn = d.q_and_grad(&next).0;
        // A NaN qn stops it too.
        if qn.partial_cmp(&q) != Some(std::cmp::Ordering::Less) {
            break;
        }
        s.copy_from_slice(&next);
        q = qn;
    }
    q
}

/// Solves `a·x = b` in place (`b` becomes x) by Gaussian elimination with partial pivoting;
/// false when `a` is singular. Hand-written for the reason given at [`spectral_radius`].
fn solve(a: &mut [f64], b: &mut [f64], n: usize) -> bool {
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))
            .unwrap_or(col);
        if a[piv * n + col].abs() < 1e-12 {
            return false;
        }
        for k in 0..n {
            a.swap(col * n + k, piv * n + k);
        }
        b.swap(col, piv);
        for i in col + 1..n {
            let m = a[i * n + col] / a[col * n + col];
            for k in col..n {
                a[i * n + k] -= m * a[col * n + k];
            }
            b[i] -= m * b[col];
        }
    }
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| a[i * n + k] * b[k]).sum();
        b[i] = (b[i] - s) / a[i * n + i];
    }
    true
}

/// Adds `s` unless a point within `dist` is known; keeps the slower of the two.
fn merge_into(found: &mut Vec<(Vec<f32>, f32)>, s: Vec<f32>, q: f32, dist: f32) {
    let near = found.iter_mut().find(|(p, _)| {
        p.iter()
            .zip(&s)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f32>()
            < dist * dist
    });
    match near {
        Some(p) if q < p.1 => *p = (s, q),
        Some(_) => {}
        None => found.push((s, q)),
    }
}

fn classify(d: &Dynamics, mut s: Vec<f32>, q: f32) -> FixedPoint {
    let rho = spectral_radius(&d.jacobian(&s), d.dim()) as f32;
    let c = s.split_off(d.hs);
    FixedPoint {
        h: s,
        c,
        q,
        max_abs_eig: rho,
        stable: rho < 1.0,
    }
}
