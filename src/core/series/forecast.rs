//! Forecasting a series with a trained model, and the naive baselines it is measured against.
//! Every function takes and returns values in the series' own units; the model works on the
//! normalised values inside.
//!
//! - **One step ahead**: the prediction of value `t` from the `window` values before it (fewer
//!   near the start), from a zero state — exactly what training windows look like.
//! - **Free-running** from a cut point `c`: the model reads the `window` values before `c`, then
//!   each prediction is fed back as the next input, `horizon` times.
//! - **Last value**: every forecast value is `v[c−1]`.
//! - **Seasonal naive** with season `s`: the forecast of `v[c+h]` is the value a whole number of
//!   seasons earlier, `v[c+h−s·(⌊h/s⌋+1)]` (needs `c ≥ s`).

use super::super::error::{Error, Result};
use super::super::model::{Attention, Input, Model, State};
use super::Norm;

/// Rows of one-step windows run together.
const CHUNK: usize = 256;

/// The model's output for the last step of each window: `windows` holds `n` windows of `t`
/// normalised values each (`[w][t]`), run as one batch per [`CHUNK`].
fn last_outputs(model: &Model, windows: &[f32], t: usize) -> Result<Vec<f32>> {
    let n = windows.len() / t;
    let mut out = Vec::with_capacity(n);
    for first in (0..n).step_by(CHUNK) {
        let b = CHUNK.min(n - first);
        let mut x = vec![0.0; t * b];
        for j in 0..b {
            for i in 0..t {
                x[i * b + j] = windows[(first + j) * t + i];
            }
        }
        let tr = model.forward(Input::Real(&x), b, &State::zeros(&model.spec, b))?;
        let o = model.spec.output_size;
        out.extend((0..b).map(|j| tr.logits[((t - 1) * b + j) * o]));
    }
    Ok(out)
}

fn check_model(model: &Model) -> Result<()> {
    let s = &model.spec;
    if s.input_size != 1 || s.output_size != 1 || !s.vocab.is_empty() {
        return Err(Error::ModelFile(format!(
            "the model has {} input(s) and {} output(s); forecasting a series needs a model trained on one (rnnlab train --series)",
            s.input_size, s.output_size
        )));
    }
    check_no_attention(s.attention)
}

/// Refuses attention for a series model: its forecast runs one value at a time, past the
/// training window attention reads over, so its forecasts would not be the model it trained.
pub fn check_no_attention(a: Attention) -> Result<()> {
    match a {
        Attention::None => Ok(()),
        Attention::Dot => Err(Error::config(
            "attention",
            "dot",
            "a series model forecasts one value at a time, past the window attention reads over: use attention=none",
        )),
    }
}

/// One-step-ahead predictions of values `from..to` (`from ≥ 1`), in the series' units.
pub fn one_step(
    model: &Model,
    norm: Norm,
    values: &[f32],
    window: usize,
    from: usize,
    to: usize,
) -> Result<Vec<f64>> {
    check_model(model)?;
    let (from, to) = (from.max(1), to.min(values.len()));
    let z: Vec<f32> = values.iter().map(|&v| norm.z(v)).collect();
    let mut out = Vec::with_capacity(to.saturating_sub(from));
    // Values with less than a full window before them, one at a time.
    let full = window.max(1).max(from);
    for t in from..full.min(to) {
        out.extend(last_outputs(model, &z[..t], t)?);
    }
    if full < to {
        let w = window.max(1);
        let mut windows = Vec::with_capacity((to - full) * w);
        for t in full..to {
            windows.extend_from_slice(&z[t - w..t]);
        }
        out.extend(last_outputs(model, &windows, w)?);
    }
    Ok(out.into_iter().map(|p| norm.unz(p)).collect())
}

/// `horizon` values forecast from cut point `cut` (`1 ≤ cut ≤ values.len()`), feeding each
/// prediction back as the next input.
pub fn free_run(
    model: &Model,
    norm: Norm,
    values: &[f32],
    window: usize,
    cut: usize,
    horizon: usize,
) -> Result<Vec<f64>> {
    check_model(model)?;
    check_cut(cut, values.len())?;
    let warm: Vec<f32> = values[cut.saturating_sub(window.max(1))..cut]
        .iter()
        .map(|&v| norm.z(v))
        .collect();
    let tr = model.forward(Input::Real(&warm), 1, &State::zeros(&model.spec, 1))?;
    let mut next = *tr.logits.last().expect("one output per step");
    let mut state = tr.final_state();
    let mut out = Vec::with_capacity(horizon);
    for h in 0..horizon {
        out.push(norm.unz(next));
        if h + 1 < horizon {
            let tr = model.forward(Input::Real(&[next]), 1, &state)?;
            next = tr.logits[0];
            state = tr.final_state();
        }
    }
    Ok(out)
}

fn check_cut(cut: usize, n: usize) -> Result<()> {
    if cut == 0 || cut > n {
        return Err(Error::config(
            "cut",
            cut,
            format!("must be between 1 and {n} (the series' length)"),
        ));
    }
    Ok(())
}

/// The last-value forecast from `cut`.
pub fn last_value(values: &[f32], cut: usize, horizon: usize) -> Vec<f64> {
    vec![f64::from(values[cut - 1]); horizon]
}

/// The seasonal naive forecast from `cut` with season `season`; `None` when there is no season
/// (0) or less than one season before the cut.
pub fn seasonal(values: &[f32], cut: usize, horizon: usize, season: usize) -> Option<Vec<f64>> {
    (season > 0 && cut >= season).then(|| {
        (0..horizon)
            .map(|h| f64::from(values[cut + h - season * (h / season + 1)]))
            .collect()
    })
}

/// Mean squared error of `pred` against `truth` over their common length (NaN when empty).
pub fn mse(pred: &[f64], truth: &[f32]) -> f64 {
    let n = pred.len().min(truth.len());
    let se: f64 = pred
        .iter()
        .zip(truth)
        .map(|(p, &t)| (p - f64::from(t)).powi(2))
        .sum();
    se / n as f64
}

/// A forecast from a cut point and its scores against the values that follow it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub cut: usize,
    pub forecast: Vec<f64>,
    /// MSE of the model's free-running forecast, in squared units of the series.
    pub mse: f64,
    /// MSE of the last-value forecast.
    pub naive_mse: f64,
    /// MSE of the seasonal naive forecast, when there is a season.
    pub seasonal_mse: Option<f64>,
}

/// Forecasts `horizon` values from `cut` and scores the model and both baselines on
/// `values[cut..cut+horizon]`, which must all exist.
pub fn score(
    model: &Model,
    norm: Norm,
    values: &[f32],
    window: usize,
    cut: usize,
    horizon: usize,
    season: usize,
) -> Result<Scored> {
    check_cut(cut, values.len())?;
    if horizon == 0 || cut + horizon > values.len() {
        return Err(Error::config(
            "horizon",
            horizon,
            format!(
                "must be between 1 and {} (the values after the cut at {cut})",
                values.len() - cut
            ),
        ));
    }
    let truth = &values[cut..cut + horizon];
    let forecast = free_run(model, norm, values, window, cut, horizon)?;
    Ok(Scored {
        cut,
        mse: mse(&forecast, truth),
        naive_mse: mse(&last_value(values, cut, horizon), truth),
        seasonal_mse: seasonal(values, cut, horizon, season).map(|s| mse(&s, truth)),
        forecast,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Config;
    use crate::core::model::CellType;

    fn model() -> Model {
        let c = Config {
            cell: CellType::Gru,
            hidden: 4,
            seed: 3,
            ..Config::default()
        };
        super::super::session::build_model(&c).unwrap()
    }

    #[test]
    fn baselines_follow_their_definitions() {
        let v: Vec<f32> = (0..10).map(|i| (i % 4) as f32 + 10.0 * i as f32).collect();
        assert_eq!(last_value(&v, 6, 2), [v[5] as f64; 2]);
        let s = seasonal(&v, 6, 5, 4).unwrap();
        let want: Vec<f64> = [2, 3, 4, 5, 2].iter().map(|&i| v[i] as f64).collect();
        assert_eq!(s, want);
        assert_eq!(seasonal(&v, 3, 2, 4), None);
        assert_eq!(seasonal(&v, 6, 2, 0), None);
        assert_eq!(mse(&[1.0, 3.0], &[2.0, 5.0]), 2.5);
    }

    #[test]
    fn one_step_matches_running_each_window_alone() {
        let m = model();
        let norm = Norm {
            mean: 1.0,
            std: 2.0,
        };
        let v: Vec<f32> = (0..300).map(|i| libm::sinf(i as f32 * 0.3)).collect();
        let p = one_step(&m, norm, &v, 6, 1, 300).unwrap();
        assert_eq!(p.len(), 299);
        for &t in &[1usize, 5, 6, 7, 299] {
            let z: Vec<f32> = v[t.saturating_sub(6)..t]
                .iter()
                .map(|&x| norm.z(x))
                .collect();
            let tr = m
                .forward(Input::Real(&z), 1, &State::zeros(&m.spec, 1))
                .unwrap();
            let want = norm.unz(*tr.logits.last().unwrap());
            assert!(
                (p[t - 1] - want).abs() < 1e-5,
                "t={t}: {} vs {want}",
                p[t - 1]
            );
        }
    }

    #[test]
    fn free_running_feeds_predictions_back() {
        let m = model();
        let norm = Norm {
            mean: 0.0,
            std: 1.0,
        };
        let v: Vec<f32> = (0..50).map(|i| i as f32 / 50.0).collect();
        let f = free_run(&m, norm, &v, 8, 30, 3).unwrap();
        // The same as one pass over the warm-up window followed by the fed-back forecasts.
        let mut z: Vec<f32> = v[22..30].iter().map(|&x| norm.z(x)).collect();
        z.extend(f[..2].iter().map(|&p| norm.z(p as f32)));
        let tr = m
            .forward(Input::Real(&z), 1, &State::zeros(&m.spec, 1))
            .unwrap();
        let want = norm.unz(*tr.logits.last().unwrap());
        assert!((f[2] - want).abs() < 1e-5, "{} vs {want}", f[2]);
        let step0 = one_step(&m, norm, &v, 8, 30, 31).unwrap();
        assert!((f[0] - step0[0]).abs() < 1e-6);
        let s = score(&m, norm, &v, 8, 30, 20, 0).unwrap();
        assert_eq!(s.forecast.len(), 20);
        assert!(s.seasonal_mse.is_none() && s.mse.is_finite());
        let e = score(&m, norm, &v, 8, 40, 11, 0).unwrap_err().to_string();
        assert!(e.contains("horizon") && e.contains("10"), "{e}");
        assert!(score(&m, norm, &v, 8, 0, 1, 0)
            .unwrap_err()
            .to_string()
            .contains("cut"));
    }
}
