//! Training on a series: the model (one real input, one real output, MSE), the trainer over
//! [`SeriesSource`] windows of `seq-len` values, and what a model file records to forecast.

use super::super::config::Config;
use super::super::error::Result;
use super::super::init::init_params;
use super::super::io;
use super::super::model::{LossKind, Model, ModelSpec};
use super::super::rng::Rng;
use super::super::session::build_optimizer;
use super::super::trainer::{Snapshot, StepStats, Trainer};
use super::forecast::{self, Scored};
use super::{Series, SeriesMeta, SeriesSource};

/// A model learning the next value of a series.
pub struct SeriesSession {
    pub config: Config,
    pub series: Series,
    pub trainer: Trainer,
}

/// A fresh one-in, one-out model for `config`.
pub fn build_model(config: &Config) -> Result<Model> {
    config.validate()?;
    super::forecast::check_no_attention(config.attention)?;
    let spec = ModelSpec {
        input_size: 1,
        output_size: 1,
        loss: LossKind::Mse,
        ..ModelSpec::chars(config.cell_kind()?, vec![], config.hidden, config.layers, 0)
    }
    .with_remedies(config.residual, config.attention, config.seq_len);
    spec.validate()?;
    let params = init_params(&spec, config.init_opts()?, &mut Rng::new(config.seed));
    Ok(Model { spec, params })
}

impl SeriesSession {
    /// A new model on `series`, windows of `config.seq_len` values.
    pub fn new(config: &Config, series: Series) -> Result<Self> {
        let model = build_model(config)?;
        Self::with_model(config, series, model, None)
    }

    /// Continues training `model` (a series model) on `series`.
    pub fn with_model(
        config: &Config,
        series: Series,
        model: Model,
        ckpt: Option<Snapshot>,
    ) -> Result<Self> {
        let source = SeriesSource::new(&series, config.seq_len, config.batch, config.seed)?;
        let opt = build_optimizer(config, &model)?;
        let mut trainer = Trainer::new(model, opt, config.clip_rule(), Box::new(source));
        if let Some(s) = ckpt {
            trainer.restore(s)?;
        }
        Ok(SeriesSession {
            config: config.clone(),
            series,
            trainer,
        })
    }

    /// One training step.
    pub fn step(&mut self) -> Result<StepStats> {
        self.trainer.step()
    }

    /// The column, normalisation and window a forecast needs.
    pub fn meta(&self) -> SeriesMeta {
        SeriesMeta {
            column: self.series.column.clone(),
            norm: self.series.norm,
            window: self.config.seq_len,
            train_len: self.series.train_len,
        }
    }

    /// A checkpoint file with the series metadata.
    pub fn save(&self) -> Result<Vec<u8>> {
        let checkpoint = io::Checkpoint {
            snapshot: &self.trainer.snapshot(),
            config: &self.config.to_query(),
            held_out: 0,
        };
        io::save_with(&self.trainer.model, Some(&checkpoint), &self.meta().pairs())
    }

    /// One-step predictions of values `from..to`.
    pub fn one_step(&self, from: usize, to: usize) -> Result<Vec<f64>> {
        let s = &self.series;
        let m = &self.trainer.model;
        forecast::one_step(m, s.norm, &s.values, self.config.seq_len, from, to)
    }

    /// MSE of the one-step predictions of the held-out part (the values after the training
    /// part), on the normalised scale of the training loss; `None` when nothing is held out.
    pub fn held_out_mse(&self) -> Option<f64> {
        let s = &self.series;
        let n = s.values.len();
        let p = self.one_step(s.train_len, n).ok()?;
        let z = |v: f64| (v - s.norm.mean) / s.norm.std;
        let truth: Vec<f32> = s.values[s.train_len..]
            .iter()
            .map(|&v| s.norm.z(v))
            .collect();
        let pz: Vec<f64> = p.into_iter().map(z).collect();
        (n > s.train_len).then(|| forecast::mse(&pz, &truth))
    }

    /// MSE of repeating the current value as the next one over the training part, on the
    /// normalised scale (the loss a memoryless model gets).
    pub fn last_value_mse(&self) -> f64 {
        let s = &self.series;
        let train = &s.values[..s.train_len];
        let se: f64 = train
            .windows(2)
            .map(|w| (f64::from(w[1]) - f64::from(w[0])).powi(2))
            .sum();
        se / (s.norm.std * s.norm.std) / (train.len() - 1) as f64
    }

    /// The free-running forecast from `cut` and its scores (see [`forecast::score`]).
    pub fn score(&self, cut: usize, horizon: usize, season: usize) -> Result<Scored> {
        let s = &self.series;
        let m = &self.trainer.model;
        forecast::score(
            m,
            s.norm,
            &s.values,
            self.config.seq_len,
            cut,
            horizon,
            season,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_lowers_the_error_on_a_periodic_series() {
        let v: Vec<f32> = (0..400)
            .map(|i| 20.0 + 5.0 * libm::sinf(i as f32 * std::f32::consts::TAU / 12.0))
            .collect();
        let series = Series::new("v", v).unwrap();
        let config = Config {
            hidden: 16,
            seq_len: 24,
            batch: 8,
            lr: 0.01,
            ..Config::default()
        };
        let mut s = SeriesSession::new(&config, series).unwrap();
        let before = s.score(320, 24, 12).unwrap();
        for _ in 0..300 {
            s.step().unwrap();
        }
        let after = s.score(320, 24, 12).unwrap();
        assert!(
            after.mse < before.mse / 4.0,
            "{} -> {}",
            before.mse,
            after.mse
        );
        assert!(after.mse < after.naive_mse, "{after:?}");
        assert!(after.seasonal_mse.unwrap() < 1e-6);
        let bytes = s.save().unwrap();
        let (_, meta) = io::load_with_metadata(&bytes).unwrap();
        assert_eq!(SeriesMeta::from_metadata(&meta).unwrap(), Some(s.meta()));
    }
}
