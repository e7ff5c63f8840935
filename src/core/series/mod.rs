//! Real time series: one numeric column of a CSV, normalised with the mean and standard
//! deviation of its training part, cut into windows for next-value training with MSE
//! ([`SeriesSource`]), and forecast one step ahead or free-running from a cut point beside naive
//! baselines ([`forecast`]).
//!
//! The split: the first [`TRAIN_FRACTION`] of the values (rounded down) is the training part;
//! the model never trains on the rest, and the statistics come from the training part only.

pub mod csv;
pub mod forecast;
pub mod session;

use super::data::{Source, Window, WindowInput, WindowTarget};
use super::error::{Error, Result};
use super::rng::Rng;
use std::collections::HashMap;

/// Share of a series, from its start, that training sees.
pub const TRAIN_FRACTION: f64 = 0.8;

/// The normalisation `z = (v − mean) / std`, in the series' own units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Norm {
    pub mean: f64,
    pub std: f64,
}

impl Norm {
    /// Mean and (population) standard deviation of `values`; a constant column is an error.
    pub fn of(values: &[f32], column: &str) -> Result<Norm> {
        let n = values.len().max(1) as f64;
        let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = values
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / n;
        let std = libm::sqrt(var);
        if !(std > 0.0 && std.is_finite()) {
            return Err(Error::Data(format!(
                "column {column:?} is constant over its training part: nothing to learn"
            )));
        }
        Ok(Norm { mean, std })
    }

    /// `v` normalised.
    pub fn z(&self, v: f32) -> f32 {
        ((f64::from(v) - self.mean) / self.std) as f32
    }

    /// A normalised value back in the series' units.
    pub fn unz(&self, z: f32) -> f64 {
        f64::from(z) * self.std + self.mean
    }
}

/// One series: its values, where training stops, and the training part's statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub column: String,
    pub values: Vec<f32>,
    /// Values `0..train_len` are the training part.
    pub train_len: usize,
    pub norm: Norm,
}

impl Series {
    /// Column `column` of the CSV `text` (the first numeric column when `None`).
    pub fn from_csv(text: &str, column: Option<&str>) -> Result<Series> {
        let table = csv::Table::parse(text)?;
        let name = table.pick(column)?;
        let values = table.column(&name)?;
        Series::new(&name, values)
    }

    /// A series of `values` (at least two) named `column`.
    pub fn new(column: &str, values: Vec<f32>) -> Result<Series> {
        if values.len() < 2 {
            return Err(Error::Data(format!(
                "column {column:?} has {} value(s): a series needs at least two",
                values.len()
            )));
        }
        let train_len = ((values.len() as f64 * TRAIN_FRACTION) as usize).max(2);
        let norm = Norm::of(&values[..train_len], column)?;
        Ok(Series {
            column: column.to_string(),
            values,
            train_len,
            norm,
        })
    }

    /// Refuses a window that the training part cannot fill (`window` inputs and one more value
    /// as the last target); the message names the column and the setting.
    pub fn check_window(&self, window: usize) -> Result<()> {
        if self.train_len < window + 1 {
            return Err(Error::Data(format!(
                "column {:?} is too short for seq-len {window}: its training part (the first {}%) has {} values, and a window needs {}",
                self.column,
                (100.0 * TRAIN_FRACTION) as u32,
                self.train_len,
                window + 1
            )));
        }
        Ok(())
    }
}

/// What a model file must carry to forecast: the column, the normalisation and the window.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesMeta {
    pub column: String,
    pub norm: Norm,
    /// Values of context per window (the training `seq-len`).
    pub window: usize,
    /// Values the training part had.
    pub train_len: usize,
}

impl SeriesMeta {
    /// As model-file metadata: `series.column`, `series.mean`, `series.std`, `series.window`,
    /// `series.train_len` (numbers as the shortest text that reads back exactly).
    pub fn pairs(&self) -> Vec<(String, String)> {
        [
            ("series.column", self.column.clone()),
            ("series.mean", self.norm.mean.to_string()),
            ("series.std", self.norm.std.to_string()),
            ("series.window", self.window.to_string()),
            ("series.train_len", self.train_len.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// Reads the pairs back; `None` when the file is not a series model.
    pub fn from_metadata(m: &HashMap<String, String>) -> Result<Option<SeriesMeta>> {
        let Some(column) = m.get("series.column") else {
            return Ok(None);
        };
        let get = |k: &str| {
            m.get(k)
                .ok_or_else(|| Error::ModelFile(format!("missing metadata `{k}`")))
        };
        let num = |k: &str| -> Result<f64> {
            let v = get(k)?;
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| Error::ModelFile(format!("metadata `{k}` = {v:?} is not a number")))
        };
        let whole = |k: &str| -> Result<usize> {
            let v = get(k)?;
            v.parse::<usize>().map_err(|_| {
                Error::ModelFile(format!("metadata `{k}` = {v:?} is not a whole number"))
            })
        };
        let norm = Norm {
            mean: num("series.mean")?,
            std: num("series.std")?,
        };
        if norm.std <= 0.0 {
            return Err(Error::ModelFile("metadata `series.std` must be > 0".into()));
        }
        Ok(Some(SeriesMeta {
            column: column.clone(),
            norm,
            window: whole("series.window")?.max(1),
            train_len: whole("series.train_len")?,
        }))
    }
}

/// Training windows over the normalised training part: each batch row is `window` consecutive
/// values from a seeded random start, and its targets are the values one step later. Every
/// window starts from a zero state (what a forecast does too).
#[derive(Clone, Debug)]
pub struct SeriesSource {
    z: Vec<f32>,
    window: usize,
    batch: usize,
    seed: u64,
    rng: Rng,
    drawn: usize,
}

impl SeriesSource {
    /// Windows of `series`' training part; checks that one fits.
    pub fn new(series: &Series, window: usize, batch: usize, seed: u64) -> Result<Self> {
        if window == 0 {
            return Err(Error::config("seq-len", 0, "must be at least 1"));
        }
        if batch == 0 {
            return Err(Error::config("batch", 0, "must be at least 1"));
        }
        series.check_window(window)?;
        let z = series.values[..series.train_len]
            .iter()
            .map(|&v| series.norm.z(v))
            .collect();
        Ok(SeriesSource {
            z,
            window,
            batch,
            seed,
            rng: Rng::new(seed ^ 0x5e71_e5e5),
            drawn: 0,
        })
    }
}

impl Source for SeriesSource {
    fn batch(&self) -> usize {
        self.batch
    }

    fn next_window(&mut self) -> Window {
        let (t, bs) = (self.window, self.batch);
        let starts = self.z.len() - t;
        let mut x = vec![0.0; t * bs];
        let mut y = vec![0.0; t * bs];
        for b in 0..bs {
            let s = self.rng.below(starts);
            for i in 0..t {
                x[i * bs + b] = self.z[s + i];
                y[i * bs + b] = self.z[s + i + 1];
            }
        }
        self.drawn += 1;
        Window {
            input: WindowInput::Real(x),
            target: WindowTarget::Real {
                y,
                mask: vec![true; t],
            },
            reset: true,
        }
    }

    fn cursor(&self) -> usize {
        self.drawn
    }

    /// Windows are seeded draws: restoring a cursor replays the generator from the seed.
    fn set_cursor(&mut self, c: usize) {
        self.rng = Rng::new(self.seed ^ 0x5e71_e5e5);
        self.drawn = 0;
        while self.drawn < c {
            self.next_window();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(n: usize) -> Series {
        Series::new("v", (0..n).map(|i| i as f32).collect()).unwrap()
    }

    #[test]
    fn statistics_come_from_the_training_part_only() {
        let s = ramp(10);
        assert_eq!(s.train_len, 8);
        assert_eq!(s.norm.mean, 3.5);
        let var: f64 = (0..8).map(|i| (i as f64 - 3.5).powi(2)).sum::<f64>() / 8.0;
        assert_eq!(s.norm.std, var.sqrt());
        assert!((s.norm.unz(s.norm.z(9.0)) - 9.0).abs() < 1e-5);
        let e = Series::new("c", vec![2.0; 5]).unwrap_err().to_string();
        assert!(e.contains("\"c\"") && e.contains("constant"), "{e}");
    }

    #[test]
    fn windows_are_next_value_pairs_from_the_training_part() {
        let s = ramp(100);
        let mut src = SeriesSource::new(&s, 5, 3, 1).unwrap();
        let w = src.next_window();
        let (WindowInput::Real(x), WindowTarget::Real { y, mask }) = (&w.input, &w.target) else {
            panic!("real window")
        };
        assert_eq!((x.len(), mask.len()), (15, 5));
        for (a, b) in x.iter().zip(y) {
            assert!((s.norm.unz(*b) - s.norm.unz(*a) - 1.0).abs() < 1e-4);
            assert!(
                s.norm.unz(*b) < s.train_len as f64 + 1e-3,
                "beyond the training part"
            );
        }
        let second = src.next_window();
        src.set_cursor(1);
        assert_eq!(src.next_window(), second);
    }

    #[test]
    fn too_short_for_the_window_names_column_and_setting() {
        let s = ramp(10);
        let e = SeriesSource::new(&s, 8, 1, 1).err().unwrap().to_string();
        assert!(
            e.contains("\"v\"") && e.contains("seq-len 8") && e.contains("8 values"),
            "{e}"
        );
        assert!(SeriesSource::new(&s, 7, 1, 1).is_ok());
    }

    #[test]
    fn metadata_round_trips() {
        let m = SeriesMeta {
            column: "CO2".into(),
            norm: Norm {
                mean: 340.125,
                std: 0.1 + 0.2,
            },
            window: 24,
            train_len: 500,
        };
        let map: HashMap<String, String> = m.pairs().into_iter().collect();
        assert_eq!(SeriesMeta::from_metadata(&map).unwrap(), Some(m));
        assert_eq!(SeriesMeta::from_metadata(&HashMap::new()).unwrap(), None);
    }
}
