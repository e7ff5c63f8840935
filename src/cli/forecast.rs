//! `rnnlab forecast`: a series model's free-running forecast from a cut point, scored against the
//! values that follow it beside the naive baselines.

use super::series::{read_series, read_series_model};
use super::{print_out, Fail, Outcome};
use clap::Args;
use rnnlab::core::series::forecast::score;
use serde::Serialize;
use std::path::PathBuf;

/// Forecast a series with a model trained by `rnnlab train --series`.
///
/// The model reads the seq-len values before the cut, then runs free for --horizon steps, each
/// prediction fed back as the next input. The MSEs are over the --horizon values after the cut,
/// in the series' own units squared; the naive baseline repeats the last value before the cut,
/// the seasonal one the value --season steps earlier.
#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// Model file written by `rnnlab train --series`
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// CSV file with the series (a header line, then one row per time step)
    #[arg(long, value_name = "FILE.csv")]
    pub series: PathBuf,
    /// Column to forecast [default: the column the model was trained on]
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// Values to forecast
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub horizon: u32,
    /// Forecast from this value (0-based index of the first forecast value) [default: the end of
    /// the training part, the first 80% of the series]
    #[arg(long, value_name = "INDEX")]
    pub cut: Option<usize>,
    /// Season of the seasonal naive baseline in steps (12 for monthly data, 365 for daily
    /// weather); 0 leaves it out
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub season: usize,
    /// Print one JSON object: {"forecast": [...], "mse": x, "naive_mse": y, ...}
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct ForecastOut<'a> {
    column: &'a str,
    cut: usize,
    horizon: usize,
    forecast: &'a [f64],
    mse: f64,
    naive_mse: f64,
    seasonal_naive_mse: Option<f64>,
}

pub fn run(a: ForecastArgs) -> Outcome {
    let (loaded, meta) = read_series_model(&a.model)?;
    let column = a.column.as_deref().unwrap_or(&meta.column);
    let series = read_series(&a.series, Some(column))?;
    let cut = a.cut.unwrap_or(series.train_len);
    let horizon = a.horizon as usize;
    let values = &series.values;
    let model = &loaded.model;
    let s = score(
        model,
        meta.norm,
        values,
        meta.window,
        cut,
        horizon,
        a.season,
    )
    .map_err(|e| Fail(format!("--cut {cut} --horizon {horizon}: {e}")))?;
    let out = ForecastOut {
        column,
        cut,
        horizon,
        forecast: &s.forecast,
        mse: s.mse,
        naive_mse: s.naive_mse,
        seasonal_naive_mse: s.seasonal_mse,
    };
    if a.json {
        let json = serde_json::to_string(&out).map_err(|e| Fail(e.to_string()))?;
        return print_out(&(json + "\n"));
    }
    let seasonal = s.seasonal_mse.map_or(String::new(), |m| {
        format!(", seasonal naive (season {}) {m:.6}", a.season)
    });
    let values: Vec<String> = s.forecast.iter().map(|v| format!("{v:.6}")).collect();
    print_out(&format!(
        "forecast of {column:?} from value {cut}, {horizon} steps:\n{}\nMSE over those {horizon} values: model {:.6}, last value {:.6}{seasonal}\n",
        values.join(" "),
        s.mse,
        s.naive_mse
    ))
}
