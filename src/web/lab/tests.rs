//! The lab's logic, natively: runs, readouts, the step-through, the text views, the race, the
//! sweep and the latch.

use super::*;
use crate::core::tasks::TaskType;

fn parse_query(hash: &str) -> crate::web::types::ParsedQuery {
    crate::web::parse_query::<Lab>(hash)
}

fn still() -> f64 {
    0.0
}

fn lab(hash: &str) -> Lab {
    Lab::new(&parse_query(hash).query, "").unwrap()
}

#[test]
fn the_lab_starts_from_its_own_defaults() {
    let p = parse_query("#task-len=12&banana=1");
    assert_eq!(p.notices.len(), 1);
    let (c, _) = Config::from_query(&p.query);
    assert_eq!(
        (c.task, c.task_len, c.hidden, c.batch),
        (TaskType::Copy, 12, 32, 32)
    );
    let info = lab("").info();
    assert_eq!((info.task, info.window_len, info.real), ("copy", 21, false));
    assert_eq!(info.model.gates, ["i", "f", "g", "o"]);
    assert!((info.baseline_accuracy - 0.25).abs() < 1e-12);
}

#[test]
fn training_fills_the_readouts_and_the_charts() {
    let mut l = lab("#task-len=8&hidden=16");
    assert_eq!(l.window_len(), 0);
    let r = l.train_for(20, 1e9, &still).unwrap();
    assert_eq!((r.steps, l.steps()), (20, 20));
    let o = l.readouts();
    assert_eq!(o.step, 20.0);
    assert!(o.accuracy.is_finite() && o.loss.is_finite());
    assert_eq!((o.shrink.0.len(), o.sigma_max.0.len()), (1, 1));
    assert_eq!(l.flow_profile(0).unwrap().len(), 9, "lag 8: nine steps");
    assert_eq!(l.loss_chart().train.len(), 20);
    assert_eq!(l.accuracy_chart().series.len(), 2);
    assert_eq!(l.flow_chart().series[0].points.len(), 9);
    assert_eq!(
        l.flow_heatmap().columns.len(),
        1,
        "only the last step collects a profile"
    );
    assert_eq!(l.clip_chart().refs.len(), 1, "the norm threshold");
    let e = l.set_live("hidden", "8").unwrap_err().to_string();
    assert!(e.contains("hidden"), "{e}");
    assert!(l.set_live("clip", "0").unwrap().contains("clip=0&"));
    assert!(l.clip_chart().refs.is_empty());
}

#[test]
fn the_step_through_fills_in_the_equations() {
    let mut l = lab("#task-len=6&hidden=8");
    assert!(l.step_columns(0, 0).is_err(), "no step yet");
    l.step().unwrap();
    let c = l.step_columns(0, 3).unwrap();
    assert_eq!((c.t, c.steps, c.h.0.len(), c.c_prev.0.len()), (3, 7, 8, 8));
    assert_eq!(
        c.gates.iter().map(|g| g.name).collect::<Vec<_>>(),
        ["i", "f", "g", "o"]
    );
    let chars = l.window_chars();
    assert_eq!(c.input, format!("“{}”", chars[3]));
    let eq = l.equations(0, 3, 5).unwrap();
    assert!(eq[0].starts_with("unit 5, layer 1, step t = 3"), "{eq:?}");
    assert!(eq.iter().any(|e| e.starts_with("cₜ = f·cₜ₋₁ + i·g = ")));
    assert!(l.equations(0, 3, 8).is_err());
    assert!(l.step_columns(1, 0).is_err());
}

#[test]
fn a_gru_and_an_rnn_fill_in_their_own_equations() {
    for (cell, want) in [
        ("gru", "hₜ = (1 − z)·n + z·hₜ₋₁ = "),
        ("rnn", "hₜ = tanh(W·x + U·hₜ₋₁) = tanh("),
        ("rnn&nonlinearity=sigmoid", "hₜ = σ(W·x + U·hₜ₋₁) = σ("),
        ("rnn&residual=time", "hₜ = hₜ₋₁ + tanh(W·x + U·hₜ₋₁) = "),
    ] {
        let mut l = lab(&format!("#cell={cell}&task-len=4&hidden=4"));
        l.step().unwrap();
        let eq = l.equations(0, 2, 1).unwrap();
        assert!(eq.iter().any(|e| e.starts_with(want)), "{cell}: {eq:?}");
        if cell.contains("residual") {
            // The numbers add up: hₜ₋₁ + tanh(W·x + U·hₜ₋₁) = hₜ, to the two decimals shown.
            let line = eq.iter().find(|e| e.starts_with(want)).unwrap();
            let nums: Vec<f64> = (line.split(['=', '+', '(', ')', ' ']))
                .filter_map(|w| w.replace('−', "-").parse().ok())
                .collect();
            let [h_prev, wx, uh, h] = nums[..] else {
                panic!("{line}: {nums:?}")
            };
            assert!((h_prev + (wx + uh).tanh() - h).abs() < 0.02, "{line}");
        }
    }
}

/// A sigmoid RNN's units sit in (0, 1); with large recurrent weights they pin at the flat ends
/// and the saturation readout says so, as for tanh.
#[test]
fn the_saturation_readout_covers_the_sigmoid_rnn() {
    let sat = |hash: &str| {
        let mut l = lab(hash);
        l.step().unwrap();
        l.readouts().saturation.0[0]
    };
    let calm = sat("#cell=rnn&nonlinearity=sigmoid&hidden=16&task-len=8&init=orthogonal&gain=0.5");
    let pinned = sat("#cell=rnn&nonlinearity=sigmoid&hidden=16&task-len=8&init=orthogonal&gain=8");
    assert!((0.0..0.5).contains(&calm), "gain 0.5: {calm}");
    assert!(
        pinned > calm + 0.2 && pinned <= 1.0,
        "gain 8: {pinned} vs {calm}"
    );
}

#[test]
fn text_views_skip_unknown_characters_and_name_the_prediction() {
    let l = lab("#hidden=8");
    let c = l.connectivity("ab<x>?").unwrap();
    assert_eq!(c.chars, ["a", "b", "x", "?"]);
    assert_eq!((c.skipped.as_str(), c.values.0.len()), ("<>", 4));
    assert_eq!(c.predicted.chars().count(), 1);
    let a = l.activations("abcd", 0).unwrap();
    assert_eq!((a.hidden, a.values.0.len()), (8, 32));
    assert!(l.activations("abcd", 1).is_err());
    assert!(l.connectivity("ЖЖ").is_err());
    let episode = l.sample_text(0, 0.8, 3).unwrap();
    assert_eq!(episode.chars().count(), 21);
    let real = lab("#task=adding&task-len=10");
    assert!(real.info().real);
    assert!(real.connectivity("ab").is_err());
}

#[test]
fn a_race_trains_every_lane_and_can_match_parameter_counts() {
    let q = parse_query("#task-len=5&hidden=16").query;
    let mut race = race::LabRace::new(&q, "", "rnn,lstm,gru", true).unwrap();
    let r = race.train_for(3, 1e9, &still);
    assert_eq!(r.rounds, 3);
    let lanes = race.lanes();
    assert_eq!(
        lanes.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(),
        ["RNN (tanh)", "LSTM", "GRU"]
    );
    assert!(lanes.iter().all(|l| l.step == 3.0));
    let params: Vec<f64> = lanes.iter().map(|l| l.params).collect();
    let (lo, hi) = params
        .iter()
        .fold((f64::MAX, 0.0f64), |(a, b), &p| (a.min(p), b.max(p)));
    assert!(hi / lo < 1.05, "{params:?}");
    assert_eq!(lanes[1].colour, "#d55e00");
    assert_eq!(race.loss_chart().series.len(), 3);
    assert!(race::LabRace::new(&q, "", "rnn,banana", false).is_err());
    assert!(race::LabRace::new(&q, "", "", false).is_err());
}

#[test]
fn a_sweep_runs_its_jobs_in_slices_and_scores_them() {
    let q = parse_query("#hidden=8&batch=8").query;
    let mut s = sweep::LabSweep::new(&q, "lstm", "3,2,3", 10).unwrap();
    let t = std::cell::Cell::new(0.0);
    let now = || {
        t.set(t.get() + 1.0);
        t.get()
    };
    let mut p = s.work(3.0, &now).unwrap();
    assert_eq!((p.jobs, p.done), (2, false), "lags sorted and deduplicated");
    while !p.done {
        p = s.work(1e9, &still).unwrap();
    }
    let res = s.results();
    assert_eq!(res.iter().map(|r| r.lag).collect::<Vec<_>>(), [2, 3]);
    assert!(res
        .iter()
        .all(|r| (0.0..=1.0).contains(&r.success) && r.steps <= 10.0));
    assert_eq!(s.chart().series[0].points.len(), 2);
    assert!(sweep::LabSweep::new(&q, "lstm", "0", 10).is_err());
}

#[test]
fn the_latch_forgets_below_one_and_saturates_above() {
    let low = latch::run(0.5, 0.0, 1.0, 30).unwrap();
    let high = latch::run(2.0, 0.0, 1.0, 30).unwrap();
    assert!(low.h.0[29].abs() < 1e-3 && high.h.0[29] > 0.9);
    assert!(low.d.0[0].abs() < 1e-6 && high.d.0[0].abs() < 1e-3);
    assert_eq!(latch::run(1.0, 0.0, 1.0, 10_000).unwrap().h.0.len(), 500);
    assert!(latch::run(f32::NAN, 0.0, 1.0, 5).is_err());
    let (h, d) = latch::charts(0.5, &low);
    assert_eq!(
        (h.series[0].points.len(), d.series[0].points.len()),
        (30, 30)
    );
}

#[test]
fn the_flipflop_runs_in_the_lab_with_its_three_channels() {
    let mut l = lab("#task=flipflop&task-len=12&hidden=8");
    let info = l.info();
    assert_eq!(
        (info.task, info.real, info.window_len),
        ("flipflop", true, 12)
    );
    assert!(info.baseline_loss > 0.0);
    l.train_for(5, 1e9, &still).unwrap();
    let c = l.step_columns(0, 4).unwrap();
    assert_eq!(c.x_labels, ["x[0]", "x[1]", "x[2]"]);
    assert!(l.readouts().loss.is_finite());
    assert_eq!(l.accuracy_chart().series.len(), 2);
}

/// The gradient-flow view includes the gradient that attention sends straight back to every
/// state: over a 41-step window of a tanh RNN, `‖∂L_T/∂h_t‖` at the far end falls by orders of
/// magnitude less than without it.
#[test]
fn attention_flattens_the_gradient_flow_view() {
    let spread = |hash: &str| {
        let mut l = lab(hash);
        l.step().unwrap();
        let p = l.flow_profile(0).unwrap();
        assert_eq!(p.len(), 41, "{hash}");
        let (lo, hi) = p
            .iter()
            .fold((f32::MAX, 0f32), |(a, b), &v| (a.min(v), b.max(v)));
        eprintln!("{hash}: min {lo:e} max {hi:e}");
        (hi / lo.max(f32::MIN_POSITIVE)).log10()
    };
    let base = "#cell=rnn&task-len=40&hidden=16&seed=3";
    let plain = spread(base);
    let attended = spread(&format!("{base}&attention=dot"));
    assert!(
        plain > 6.0,
        "the plain RNN's gradient should vanish: {plain} decades"
    );
    assert!(
        attended < 3.0,
        "attention keeps it within a few decades: {attended}"
    );
}

/// With residual layers, the step-through shows what a layer reads: `o`, the sum of the states
/// of every layer below it (for layer 3, `h` of layers 1 and 2).
#[test]
fn the_step_through_shows_the_residual_sum_a_layer_reads() {
    let mut l = lab("#cell=rnn&layers=3&hidden=4&task-len=5&residual=layers");
    l.step().unwrap();
    let (below, top) = (l.step_columns(1, 2).unwrap(), l.step_columns(2, 2).unwrap());
    let (h0, h1) = (l.step_columns(0, 2).unwrap().h, below.h);
    let sum: Vec<f32> = h0.0.iter().zip(&h1.0).map(|(a, b)| a + b).collect();
    assert_eq!(top.x.0, sum);
    assert_eq!(below.x.0, h0.0, "layer 2 reads o of layer 1, its h");
    assert!(top.x_labels[0].starts_with('o'), "{:?}", top.x_labels);
}

#[test]
fn a_race_or_sweep_too_big_for_the_page_is_refused_before_any_model_is_built() {
    let q = parse_query("#hidden=1024&layers=4").query;
    let e = race::LabRace::new(&q, "", "rnn,lstm", true)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("a race round") && e.contains("hidden (1024)"),
        "{e}"
    );
    let e = sweep::LabSweep::new(&q, "lstm", "10,20", 100)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("a sweep step"), "{e}");
    assert!(sweep::LabSweep::new(&parse_query("").query, "lstm", "10,20", 100).is_ok());
}
