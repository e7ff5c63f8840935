//! The Series page's class: a model learning the next value of a time series.

use super::*;
use crate::render;
use crate::web::series;
use crate::web::types::{ForecastScores, SeriesInfo};

/// A model learning the next value of a time series (one column of a CSV), for the Series page.
#[wasm_bindgen]
pub struct SeriesModel(series::SeriesLab);
training_api!(SeriesModel, series::SeriesLab);

#[wasm_bindgen]
impl SeriesModel {
    /// A fresh model for `query` on column `column` of the CSV text `csv`; bad input throws.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, csv: &str, column: &str) -> Js<SeriesModel> {
        build(series::SeriesLab::new(query, csv, column), SeriesModel)
    }

    /// The settings table for the Series page's controls (the common one, attention off),
    /// each with whether it applies under `query`.
    #[wasm_bindgen(js_name = settingsTable)]
    pub fn settings_table(query: &str) -> Js<Vec<Ts<SettingInfo>>> {
        hook();
        let (config, _) = Config::from_query(query);
        series::settings_table(&config)
            .into_iter()
            .map(ts)
            .collect()
    }

    /// The numeric columns of the CSV text `csv`; throws when it has none.
    pub fn columns(csv: &str) -> Js<Vec<String>> {
        hook();
        series::columns(csv).map_err(err)
    }

    /// The smoothed training loss (NaN before the first step).
    #[wasm_bindgen(js_name = smoothLoss)]
    pub fn smooth_loss(&self) -> f64 {
        self.0.smooth_loss()
    }

    /// The series, its split and normalisation, and the model's size.
    pub fn info(&self) -> Js<Ts<SeriesInfo>> {
        ts(self.0.info())
    }

    /// Draws the series, the one-step prediction and the forecast of `horizon` values from
    /// `cut` on `canvas`; returns the MSEs of the forecast and of the baselines.
    pub fn forecast(
        &self,
        canvas: &HtmlCanvasElement,
        cut: usize,
        horizon: usize,
        season: usize,
    ) -> Js<Ts<ForecastScores>> {
        let (scores, chart) = self.0.forecast(cut, horizon, season).map_err(err)?;
        paint!(canvas, chart, render::draw_forecast_chart)?;
        ts(scores)
    }

    /// The cut point under pixel column `x` of the forecast chart `width` pixels wide.
    #[wasm_bindgen(js_name = cutAt)]
    pub fn cut_at(&self, width: f64, x: f64) -> usize {
        self.0.cut_at(width, x)
    }
}
