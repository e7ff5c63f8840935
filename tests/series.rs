//! Time series end to end: `rnnlab train --series` and `rnnlab forecast` (the JSON contract, the
//! metadata a model file records, the numbers against the core and against baselines computed
//! here), and the clear failures on bad CSVs.

#[path = "common/run.rs"]
mod run;

use rnnlab::core::io;
use rnnlab::core::series::forecast::score;
use rnnlab::core::series::SeriesMeta;
use run::{fails, ok};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A monthly-looking series: a trend plus a yearly wave, in a CSV with a date and a text column.
fn seasonal_csv(n: usize) -> (String, Vec<f32>) {
    let v: Vec<f32> = (0..n)
        .map(|i| 300.0 + 0.1 * i as f32 + 3.0 * (i as f32 * std::f32::consts::TAU / 12.0).sin())
        .collect();
    let mut csv = String::from("month,\"level, ppm\",note\n");
    for (i, x) in v.iter().enumerate() {
        csv += &format!("m{i},{x},\"a, b\"\n");
    }
    (csv, v)
}

/// `rnnlab forecast --model M --series CSV` and the flags in `flags`, as arguments.
fn forecast_args(model: &Path, csv: &Path, flags: &str) -> Vec<String> {
    let mut a: Vec<String> = ["forecast", "--model", s(model), "--series", s(csv)]
        .map(String::from)
        .to_vec();
    a.extend(flags.split_whitespace().map(String::from));
    a
}

fn train(dir: &TempDir, csv: &Path, extra: &str) -> PathBuf {
    let out = dir.path().join("m.safetensors");
    let mut a = vec!["train", "--series", s(csv), "--out", s(&out)];
    a.extend(extra.split_whitespace());
    ok(&a);
    out
}

#[test]
fn train_records_the_normalisation_and_forecast_prints_the_contract() {
    let dir = TempDir::new().unwrap();
    let (text, v) = seasonal_csv(200);
    let csv = write(&dir, "s.csv", &text);
    let flags = "--steps 40 --cell gru --hidden 8 --seq-len 12 --batch 4 --lr 0.01";
    let model = train(&dir, &csv, flags);
    let (loaded, meta) = io::load_with_metadata(&std::fs::read(&model).unwrap()).unwrap();
    let meta = SeriesMeta::from_metadata(&meta)
        .unwrap()
        .expect("series metadata");
    // The first numeric column, and statistics of the first 80% only.
    assert_eq!(
        (meta.column.as_str(), meta.train_len, meta.window),
        ("level, ppm", 160, 12)
    );
    let train: Vec<f64> = v[..160].iter().map(|&x| x as f64).collect();
    let mean = train.iter().sum::<f64>() / 160.0;
    let std = (train.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 160.0).sqrt();
    assert!((meta.norm.mean - mean).abs() < 1e-9 && (meta.norm.std - std).abs() < 1e-9);

    let o = ok(&forecast_args(
        &model,
        &csv,
        "--horizon 10 --season 12 --json",
    ));
    let j: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let forecast: Vec<f64> = j["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!((forecast.len(), j["cut"].as_u64()), (10, Some(160)));
    let core = score(&loaded.model, meta.norm, &v, 12, 160, 10, 12).unwrap();
    assert_eq!(forecast, core.forecast);
    assert_eq!(j["mse"].as_f64().unwrap(), core.mse);
    // The baselines, computed here from their definitions.
    let naive: f64 = (160..170)
        .map(|t| (v[159] as f64 - v[t] as f64).powi(2))
        .sum::<f64>()
        / 10.0;
    let seasonal: f64 = (160..170)
        .map(|t| (v[t - 12] as f64 - v[t] as f64).powi(2))
        .sum::<f64>()
        / 10.0;
    assert!((j["naive_mse"].as_f64().unwrap() - naive).abs() < 1e-9);
    assert!((j["seasonal_naive_mse"].as_f64().unwrap() - seasonal).abs() < 1e-9);
    let model_mse: f64 = forecast
        .iter()
        .zip(&v[160..170])
        .map(|(f, &t)| (f - t as f64).powi(2))
        .sum::<f64>()
        / 10.0;
    assert!((j["mse"].as_f64().unwrap() - model_mse).abs() < 1e-9);

    // Another cut, and the text report.
    let o = ok(&forecast_args(&model, &csv, "--horizon 3 --cut 50"));
    assert!(
        o.stdout.contains("from value 50") && o.stdout.contains("last value"),
        "{}",
        o.stdout
    );
    fails(
        &forecast_args(&model, &csv, "--horizon 41"),
        1,
        &["--horizon", "between 1 and 40"],
    );
}

#[test]
fn bad_csvs_get_messages_naming_the_row_or_column() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("m.safetensors");
    let train = |name: &str, text: &str, extra: &str, words: &[&str]| {
        let csv = write(&dir, name, text);
        let mut a = vec![
            "train",
            "--series",
            s(&csv),
            "--steps",
            "1",
            "--out",
            s(&out),
        ];
        a.extend(extra.split_whitespace());
        fails(&a, 1, words);
        assert!(!out.exists(), "nothing is written on a bad series");
    };
    train(
        "words.csv",
        "name,city\nann,oslo\nbo,rome\n",
        "",
        &["no numeric column", "\"city\""],
    );
    let gap = "t,v\n1,2.5\n2,\n3,4\n";
    train(
        "gap.csv",
        gap,
        "--column v",
        &["\"v\"", "row 2 (line 3)", "missing"],
    );
    let bad = "t,v\n1,2.5\n2,n/a\n";
    train("bad.csv", bad, "--column v", &["\"v\"", "row 2", "\"n/a\""]);
    train("one.csv", "v\n3\n", "", &["single row"]);
    let short = (0..20).map(|i| format!("{i}\n")).collect::<String>();
    train(
        "short.csv",
        &format!("v\n{short}"),
        "--seq-len 25",
        &["\"v\"", "too short", "seq-len 25"],
    );
    train(
        "short.csv",
        "v\n1\n2\n3\n",
        "--column w",
        &["no column \"w\"", "\"v\""],
    );
    train(
        "flat.csv",
        "v\n1\n1\n1\n1\n1\n2\n",
        "--seq-len 2",
        &["constant"],
    );
    let csv = write(&dir, "ok.csv", "v\n1\n2\n");
    fails(
        &["train", "--series", s(&csv), "--text", s(&csv)],
        2,
        &["--text"],
    );
    fails(
        &["train", "--text", s(&csv), "--column", "v"],
        1,
        &["--column", "--series"],
    );

    // A model that was not trained on a series.
    let task = dir.path().join("task.safetensors");
    ok(&[
        "train",
        "--task",
        "sine",
        "--steps",
        "1",
        "--hidden",
        "4",
        "--out",
        s(&task),
    ]);
    let (text, _) = seasonal_csv(50);
    let csv = write(&dir, "s.csv", &text);
    fails(
        &forecast_args(&task, &csv, "--horizon 2"),
        1,
        &["not trained on a series"],
    );
}

/// The figure of the README: on the bundled CO₂ series a small GRU's 24-month forecast from the
/// end of the training part beats the last-value forecast.
#[test]
fn on_co2_the_forecast_beats_the_last_value() {
    let dir = TempDir::new().unwrap();
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/series/data/co2-concentration.csv");
    let flags =
        "--column CO2 --steps 1500 --cell gru --hidden 32 --seq-len 36 --batch 16 --lr 0.005 --seed 2";
    let model = train(&dir, &csv, flags);
    let o = ok(&forecast_args(
        &model,
        &csv,
        "--horizon 24 --season 12 --json",
    ));
    let j: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let (m, naive) = (j["mse"].as_f64().unwrap(), j["naive_mse"].as_f64().unwrap());
    eprintln!(
        "CO2, horizon 24: model MSE {m:.3}, last value {naive:.3}, seasonal naive {}",
        j["seasonal_naive_mse"]
    );
    assert!(m < naive, "model {m} vs last value {naive}");
}

/// A series checkpoint resumes exactly: 10 steps, then 10 more from the file, write the same
/// bytes as 20 steps at once.
#[test]
fn a_series_checkpoint_resumes_exactly() {
    let dir = TempDir::new().unwrap();
    let (text, _) = seasonal_csv(120);
    let csv = write(&dir, "s.csv", &text);
    let flags = "--seq-len 12 --hidden 6 --batch 3 --cell lstm";
    let path = |n: &str| dir.path().join(n);
    let run = |steps: &str, init: Option<&Path>, out: &Path| {
        let mut a = vec![
            "train",
            "--series",
            s(&csv),
            "--steps",
            steps,
            "--out",
            s(out),
        ];
        if let Some(i) = init {
            a.extend(["--init", s(i)]);
        }
        a.extend(flags.split_whitespace());
        ok(&a)
    };
    run("10", None, &path("a"));
    let o = run("10", Some(&path("a")), &path("b"));
    assert!(o.stderr.contains("resuming at step 10"), "{}", o.stderr);
    run("20", None, &path("c"));
    assert_eq!(
        std::fs::read(path("b")).unwrap(),
        std::fs::read(path("c")).unwrap()
    );
}
