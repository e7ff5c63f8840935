//! Reading a series CSV and a series model for `train --series` and `forecast`.

use super::files::{read_bytes, read_text};
use super::{Fail, Outcome};
use rnnlab::core::io::{self, Loaded, MAX_FILE_BYTES};
use rnnlab::core::series::{Series, SeriesMeta};
use rnnlab::core::Error;
use std::path::Path;

/// Column `column` of the CSV at `path` (the first numeric column when `None`); errors name the
/// file.
pub fn read_series(path: &Path, column: Option<&str>) -> Outcome<Series> {
    let text = read_text(path).map_err(|f| Fail(f.0.replacen("text file", "series file", 1)))?;
    Series::from_csv(&text, column).map_err(|e| series_error(path, e))
}

/// Adds the CSV file's name to a core error about its contents.
pub fn series_error(path: &Path, e: Error) -> Fail {
    match e {
        Error::Data(m) => Fail(format!("series file `{}`: {m}", path.display())),
        e => e.into(),
    }
}

/// A model trained on a series, with what it needs to forecast.
pub fn read_series_model(path: &Path) -> Outcome<(Loaded, SeriesMeta)> {
    let bytes = read_bytes(path, "model file", MAX_FILE_BYTES as u64)?;
    let in_file = |e: Error| match e {
        Error::ModelFile(m) => Fail(format!("model file `{}`: {m}", path.display())),
        e => Fail(format!("model file `{}`: {e}", path.display())),
    };
    let (loaded, meta) = io::load_with_metadata(&bytes).map_err(in_file)?;
    let series = SeriesMeta::from_metadata(&meta).map_err(in_file)?;
    let series = series.ok_or_else(|| {
        Fail(format!(
            "model file `{}` was not trained on a series (it has no `series.*` metadata): train one with `rnnlab train --series FILE.csv`",
            path.display()
        ))
    })?;
    Ok((loaded, series))
}
