//! Looking inside a text model: an inspection equals one forward pass over the whole text, its
//! recomputed steps and gate series equal the forward's, a planted line-position unit ranks first,
//! and the PCA agrees with a direct eigendecomposition (nalgebra).

use nalgebra::{DMatrix, SymmetricEigen};
use rnnlab::core::cell::Activation;
use rnnlab::core::init::{init_params, InitOpts};
use rnnlab::core::inspect::{inspect, Inspection};
use rnnlab::core::loss::{log_sum_exp, softmax};
use rnnlab::core::model::{
    Attention, CellKind, Input, Model, ModelSpec, Params, Residual, State, Trace,
};
use rnnlab::core::neurons::{features, rank_units};
use rnnlab::core::pca::{pca, pca_sampled};
use rnnlab::core::rng::Rng;
use rnnlab::core::saliency::{saliency, saliency_at};
use rnnlab::core::trainer::evaluate;

const VOCAB: &str = "\n abcdefg";

fn cells() -> [CellKind; 5] {
    [
        CellKind::Rnn(Activation::Tanh),
        CellKind::Rnn(Activation::Relu),
        CellKind::Rnn(Activation::Sigmoid),
        CellKind::Lstm,
        CellKind::Gru,
    ]
}

/// A model over [`VOCAB`] with PyTorch's initialisation.
fn model(cell: CellKind, layers: usize, embed: usize, seed: u64) -> Model {
    let spec = ModelSpec::chars(cell, VOCAB.chars().collect(), 8, layers, embed);
    let opts = InitOpts::default();
    let params = init_params(&spec, opts, &mut Rng::new(seed));
    Model { spec, params }
}

fn random_ids(n: usize, seed: u64) -> Vec<u32> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| rng.below(VOCAB.len()) as u32).collect()
}

/// Every cell, 1 and 2 layers, one-hot and embedding input.
fn every_model() -> Vec<(String, Model)> {
    let mut v = Vec::new();
    for cell in cells() {
        for layers in [1, 2] {
            for embed in [0, 3] {
                let name = format!("{cell:?} layers={layers} embed={embed}");
                v.push((
                    name,
                    model(cell, layers, embed, 5 + layers as u64 + embed as u64),
                ));
            }
        }
    }
    // The remedies: residual layers (each layer above the first reads the sum below it),
    // the residual RNN through time, and attention (which only the decoder reads).
    let remedies = [
        (CellKind::Lstm, 3, Residual::Layers, Attention::None),
        (
            CellKind::Rnn(Activation::Tanh),
            3,
            Residual::Layers,
            Attention::Dot,
        ),
        (
            CellKind::Rnn(Activation::Sigmoid),
            2,
            Residual::Time,
            Attention::None,
        ),
        (CellKind::Gru, 2, Residual::None, Attention::Dot),
    ];
    for (cell, layers, residual, attention) in remedies {
        let mut m = model(cell, layers, 3, 9 + layers as u64);
        m.spec = m.spec.with_remedies(residual, attention, 25);
        let params = init_params(&m.spec, InitOpts::default(), &mut Rng::new(9));
        v.push((
            format!("{cell:?} layers={layers} {residual} {attention}"),
            Model { params, ..m },
        ));
    }
    v
}

/// [`every_model`] but the ones with attention, whose decoder attends over the window read in
/// one go: reading in chunks, or from a stored state, changes what it attends over.
fn windowless() -> Vec<(String, Model)> {
    let mut v = every_model();
    v.retain(|(_, m)| m.spec.attention == Attention::None);
    v
}

fn one_pass(m: &Model, ids: &[u32]) -> Trace {
    m.forward(Input::Tokens(ids), 1, &State::zeros(&m.spec, 1))
        .unwrap()
}

/// Inspecting in chunks of 1,000 characters gives the bits of one forward pass over the whole
/// text: states, next-character losses and the likeliest next characters.
#[test]
fn an_inspection_equals_one_forward_pass() {
    let ids = random_ids(2345, 1);
    for (name, m) in windowless() {
        let ins = inspect(&m, &ids, 3).unwrap();
        let tr = one_pass(&m, &ids);
        assert!(tr.logits.iter().all(|v| v.is_finite()), "{name}");
        assert_eq!(
            (ins.len(), ins.layers, ins.hidden),
            (2345, m.spec.layers, 8)
        );
        for (l, lt) in tr.layers.iter().enumerate() {
            assert!(ins.h[l] == lt.outputs(), "{name}: h of layer {l}");
            assert!(ins.c[l] == lt.cell_outputs(), "{name}: c of layer {l}");
        }
        assert_eq!(ins.c[0].is_empty(), m.spec.cell != CellKind::Lstm);
        let v = VOCAB.len();
        assert_eq!(ins.loss.len(), ids.len() - 1);
        assert_eq!(ins.top.len(), ids.len());
        for (t, z) in tr.logits.chunks_exact(v).enumerate() {
            let p = softmax(z, 1.0);
            if t + 1 < ids.len() {
                let y = ids[t + 1] as usize;
                // −log softmax(z)[y] in f64.
                let m = z.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
                let sum: f64 = z.iter().map(|&v| (v as f64 - m).exp()).sum();
                let want = m + sum.ln() - z[y] as f64;
                let got = ins.loss[t] as f64;
                assert!((got - want).abs() < 1e-5 * (1.0 + want), "{name} t {t}");
                assert_eq!(ins.loss[t], log_sum_exp(z) - z[y]);
            }
            let mut order: Vec<usize> = (0..v).collect();
            order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
            let want: Vec<(u32, f32)> = order[..3].iter().map(|&i| (i as u32, p[i])).collect();
            assert_eq!(ins.top[t], want, "{name} t {t}");
        }
        // The mean loss is the evaluation loss.
        let mean = ins.loss.iter().map(|&l| l as f64).sum::<f64>() / ins.loss.len() as f64;
        let (eval, count) = evaluate(&m, &ids, 256).unwrap();
        assert_eq!(count, ins.loss.len());
        assert!(
            (mean - eval).abs() < 1e-6 * eval,
            "{name}: {mean} vs {eval}"
        );
    }
}

#[test]
fn a_single_character_has_states_and_no_loss() {
    let m = model(CellKind::Lstm, 2, 0, 3);
    let ins = inspect(&m, &[4], 2).unwrap();
    assert_eq!((ins.len(), ins.loss.len(), ins.top.len()), (1, 0, 1));
    assert_eq!(
        (ins.h[1].len(), ins.c[1].len(), ins.top[0].len()),
        (8, 8, 2)
    );
    assert!(inspect(&m, &[4, 5], 0)
        .unwrap()
        .top
        .iter()
        .all(Vec::is_empty));
}

#[test]
fn bad_inspections_say_what_is_wrong() {
    let m = model(CellKind::Gru, 1, 0, 3);
    let e = inspect(&m, &[], 5).unwrap_err().to_string();
    assert!(e.contains("at least one character"), "{e}");
    let e = inspect(&m, &[1, 99], 5).unwrap_err().to_string();
    assert!(e.contains("token id") && e.contains("99"), "{e}");
    let mut real = m.clone();
    real.spec.loss = rnnlab::core::LossKind::Mse;
    let e = inspect(&real, &[1], 5).unwrap_err().to_string();
    assert!(e.contains("character model"), "{e}");
    let ins = inspect(&m, &[1, 2, 3], 0).unwrap();
    let e = ins.step(&m, 1, 0).unwrap_err().to_string();
    assert!(e.contains("layer"), "{e}");
    let e = ins.step(&m, 0, 3).unwrap_err().to_string();
    assert!(e.contains("`t`") && e.contains("0..3"), "{e}");
    let e = ins.gate_series(&m, 0, 3, 0).unwrap_err().to_string();
    assert!(e.contains("gate") && e.contains("r, z, n"), "{e}");
    let e = ins.gate_series(&m, 0, 0, 8).unwrap_err().to_string();
    assert!(e.contains("unit"), "{e}");
    let other = model(CellKind::Gru, 2, 0, 3);
    assert!(ins.step(&other, 0, 0).is_err());
}

/// The input vector x_t of layer `l` at step t, as the forward pass reads it.
fn input_vector(m: &Model, tr: &Trace, ids: &[u32], l: usize, t: usize) -> Vec<f32> {
    let hs = m.spec.hidden;
    match (l, &m.params.embedding) {
        (0, None) => (0..VOCAB.len())
            .map(|k| f32::from(u8::from(k == ids[t] as usize)))
            .collect(),
        (0, Some(e)) => e.row(ids[t] as usize).to_vec(),
        (l, _) => tr.layers[l - 1].out()[t * hs..(t + 1) * hs].to_vec(),
    }
}

/// A recomputed step is the forward pass's step, bit for bit, and a gate series is that gate of
/// that unit at every step.
#[test]
fn steps_and_gate_series_are_the_forward_pass_recomputed() {
    let ids = random_ids(1200, 2);
    for (name, m) in every_model() {
        let ins = inspect(&m, &ids, 0).unwrap();
        let tr = one_pass(&m, &ids);
        let (hs, g) = (m.spec.hidden, m.spec.cell.cell().gates());
        let gh = g * hs;
        for l in 0..m.spec.layers {
            let lt = &tr.layers[l];
            for t in [0, 1, 999, 1000, 1001, 1199] {
                let d = ins.step(&m, l, t).unwrap();
                let at = |v: &[f32], w: usize| v[t * w..(t + 1) * w].to_vec();
                assert_eq!(d.x, input_vector(&m, &tr, &ids, l, t), "{name} l {l} t {t}");
                assert_eq!(d.h_prev, lt.h_at(t as isize - 1), "{name} l {l} t {t}");
                assert_eq!(d.c_prev, lt.c_at(t as isize - 1), "{name} l {l} t {t}");
                assert_eq!(d.gi, at(&lt.gi, gh), "{name} l {l} t {t}: gi");
                assert_eq!(d.gh, at(&lt.gh, gh), "{name} l {l} t {t}: gh");
                assert_eq!(d.gates, at(&lt.act, gh), "{name} l {l} t {t}: gates");
                assert_eq!(d.h, lt.h_at(t as isize), "{name} l {l} t {t}: h");
                assert_eq!(d.c, lt.c_at(t as isize), "{name} l {l} t {t}: c");
            }
            if t0_is_zero(&ins, l) {
                panic!("{name}: the first state is zero, the check is vacuous");
            }
            for (gate, unit) in [(0, 0), (g - 1, hs - 1), (g / 2, 3)] {
                let s = ins.gate_series(&m, l, gate, unit).unwrap();
                let want: Vec<f32> = (0..ids.len())
                    .map(|t| lt.act[t * gh + gate * hs + unit])
                    .collect();
                assert_eq!(s, want, "{name} l {l} gate {gate} unit {unit}");
            }
        }
    }
}

fn t0_is_zero(ins: &Inspection, l: usize) -> bool {
    ins.h[l][..ins.hidden].iter().all(|&v| v == 0.0)
}

#[test]
fn saliency_at_a_position_is_that_of_the_prefix_with_the_next_character() {
    let m = model(CellKind::Lstm, 2, 3, 4);
    let ids = random_ids(12, 3);
    let s = saliency_at(&m, &ids, 6).unwrap();
    assert_eq!(s, saliency(&m, &ids[..7], ids[7]).unwrap());
    assert_eq!(s.len(), 7);
    assert!(s.iter().all(|v| v.is_finite() && *v > 0.0), "{s:?}");
    let e = saliency_at(&m, &ids, 11).unwrap_err().to_string();
    assert!(e.contains("position") && e.contains("below 11"), "{e}");
    let e = saliency(&m, &[], 1).unwrap_err().to_string();
    assert!(e.contains("at least one character"), "{e}");
    let e = saliency(&m, &ids, 99).unwrap_err().to_string();
    assert!(e.contains("target"), "{e}");
}

/// A vanilla ReLU RNN whose unit 0 counts the characters since the last newline:
/// `h₀ ← relu(h₀ + 1)` for every other character, `relu(h₀ − 10⁴) = 0` at a newline. The other
/// units are random and do not read unit 0.
fn line_counter(seed: u64) -> Model {
    let vocab: Vec<char> = VOCAB.chars().collect();
    let spec = ModelSpec::chars(CellKind::Rnn(Activation::Relu), vocab.clone(), 6, 1, 0);
    let mut p = Params::zeros(&spec);
    let mut rng = Rng::new(seed);
    let layer = &mut p.layers[0];
    for (c, &ch) in vocab.iter().enumerate() {
        layer.w_ih[[0, c]] = if ch == '\n' { -1e4 } else { 1.0 };
        for j in 1..6 {
            layer.w_ih[[j, c]] = rng.uniform_in(-0.5, 0.5);
        }
    }
    layer.w_hh[[0, 0]] = 1.0;
    for j in 1..6 {
        for k in 1..6 {
            layer.w_hh[[j, k]] = rng.uniform_in(-0.4, 0.4);
        }
    }
    p.dec_w
        .iter_mut()
        .for_each(|w| *w = rng.uniform_in(-0.5, 0.5));
    Model { spec, params: p }
}

#[test]
fn a_planted_line_position_unit_ranks_first() {
    let m = line_counter(9);
    let mut rng = Rng::new(10);
    let text: String = (0..3000)
        .map(|_| {
            if rng.below(30) == 0 {
                '\n'
            } else {
                VOCAB.as_bytes()[1 + rng.below(VOCAB.len() - 1)] as char
            }
        })
        .collect();
    let ids: Vec<u32> = text
        .chars()
        .map(|c| VOCAB.chars().position(|v| v == c).unwrap() as u32)
        .collect();
    let ins = inspect(&m, &ids, 0).unwrap();
    let line_pos = features::line_pos(&text);
    // The unit is the feature exactly.
    let unit0: Vec<f32> = (0..ids.len()).map(|t| ins.h[0][t * 6]).collect();
    assert_eq!(unit0, line_pos);
    let ranked = rank_units(&ins, &line_pos, 6);
    assert_eq!(ranked.len(), 6);
    assert_eq!((ranked[0].layer, ranked[0].unit), (0, 0), "{ranked:?}");
    assert!(ranked[0].r > 0.99, "{ranked:?}");
    assert!(ranked[1].r.abs() < 0.5, "{ranked:?}");
    assert!(ranked.windows(2).all(|w| w[0].r.abs() >= w[1].r.abs()));
    // Against Pearson's r computed directly, in two passes.
    for s in &ranked {
        let x: Vec<f32> = (0..ids.len()).map(|t| ins.h[0][t * 6 + s.unit]).collect();
        let want = pearson_two_pass(&x, &line_pos);
        assert!(
            (s.r - want).abs() < 1e-9,
            "unit {}: {} vs {want}",
            s.unit,
            s.r
        );
    }
}

fn pearson_two_pass(x: &[f32], y: &[f32]) -> f64 {
    let n = x.len() as f64;
    let mx = x.iter().map(|&v| v as f64).sum::<f64>() / n;
    let my = y.iter().map(|&v| v as f64).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        let (a, b) = (a as f64 - mx, b as f64 - my);
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    sxy / (sxx * syy).sqrt()
}

/// `rows` (`[n·dim]`) centred, with the covariance eigenvalues and unit eigenvectors of nalgebra,
/// largest first.
fn reference_pca(rows: &[f32], dim: usize) -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
    let n = rows.len() / dim;
    let x = DMatrix::from_fn(n, dim, |i, d| rows[i * dim + d] as f64);
    let mean = x.row_mean();
    let xc = DMatrix::from_fn(n, dim, |i, d| x[(i, d)] - mean[d]);
    let cov = xc.transpose() * &xc / n as f64;
    let eig = SymmetricEigen::new(cov);
    let mut order: Vec<usize> = (0..dim).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let values = order.iter().map(|&i| eig.eigenvalues[i]).collect();
    let vectors = order
        .iter()
        .map(|&i| eig.eigenvectors.column(i).iter().copied().collect())
        .collect();
    (xc.transpose().iter().copied().collect(), values, vectors)
}

#[test]
fn pca_agrees_with_a_direct_eigendecomposition() {
    let (n, dim) = (300, 6);
    let mut rng = Rng::new(4);
    // Independent axes of standard deviation 5, 3, 2, 1, 0.5, 0.2, turned by a random rotation
    // and moved off the origin.
    let q = DMatrix::from_fn(dim, dim, |_, _| rng.normal() as f64)
        .qr()
        .q();
    let sd = [5.0, 3.0, 2.0, 1.0, 0.5, 0.2];
    let rows: Vec<f32> = (0..n)
        .flat_map(|_| {
            let z: Vec<f64> = sd.iter().map(|s| s * rng.normal() as f64).collect();
            (0..dim)
                .map(|d| (3.0 + (0..dim).map(|e| q[(d, e)] * z[e]).sum::<f64>()) as f32)
                .collect::<Vec<f32>>()
        })
        .collect();
    let (xc, values, vectors) = reference_pca(&rows, dim);
    let total: f64 = values.iter().sum();
    for k in 1..=3 {
        let p = pca(&rows, dim, k);
        assert_eq!((p.coords.len(), p.explained.len()), (n * k, k));
        for c in 0..k {
            let want = values[c] / total;
            assert!((p.explained[c] - want).abs() < 1e-9, "component {c}: {p:?}");
            for i in 0..n {
                let proj: f64 = (0..dim).map(|d| xc[i * dim + d] * vectors[c][d]).sum();
                let got = p.coords[i * k + c] as f64;
                assert!(
                    (got.abs() - proj.abs()).abs() < 1e-4,
                    "point {i} c {c}: {got} vs {proj}"
                );
            }
            // The variance of a component's coordinates is its eigenvalue.
            let var = (0..n)
                .map(|i| (p.coords[i * k + c] as f64).powi(2))
                .sum::<f64>()
                / n as f64;
            assert!(
                (var - values[c]).abs() < 1e-5 * values[c],
                "c {c}: {var} vs {}",
                values[c]
            );
        }
        assert_eq!(p, pca(&rows, dim, k), "deterministic");
        // Any point projects as the fitted points did: a fitted row gives its own coordinates
        // bit for bit, and a point moved along component 0 moves only that coordinate.
        for i in [0, 7, n - 1] {
            let row = &rows[i * dim..(i + 1) * dim];
            assert_eq!(p.project(row), p.coords[i * k..(i + 1) * k].to_vec());
            let moved: Vec<f32> = (row.iter().zip(&p.axes[0]))
                .map(|(&x, &v)| x + (2.0 * v) as f32)
                .collect();
            let (a, b) = (p.project(&moved), p.project(row));
            assert!((a[0] - b[0] - 2.0).abs() < 1e-4, "{a:?} vs {b:?}");
            assert!(a[1..]
                .iter()
                .zip(&b[1..])
                .all(|(x, y)| (x - y).abs() < 1e-4));
        }
        assert_eq!(
            p,
            pca_sampled(&rows, dim, k, n),
            "fitted on every point: the same"
        );
        // Fitted on every third point: the sample's own eigen-decomposition, and every point
        // projected on its components.
        let s = pca_sampled(&rows, dim, k, n / 3);
        let fit: Vec<f32> = rows.chunks(dim).step_by(3).flatten().copied().collect();
        let (_, fit_values, fit_vectors) = reference_pca(&fit, dim);
        let mean: Vec<f64> = (0..dim)
            .map(|d| {
                fit.iter()
                    .skip(d)
                    .step_by(dim)
                    .map(|&x| x as f64)
                    .sum::<f64>()
                    / (n / 3) as f64
            })
            .collect();
        assert_eq!(s.coords.len(), n * k);
        for c in 0..k {
            let want = fit_values[c] / fit_values.iter().sum::<f64>();
            assert!(
                (s.explained[c] - want).abs() < 1e-9,
                "sampled, component {c}"
            );
            for i in 0..n {
                let proj: f64 = (0..dim)
                    .map(|d| (rows[i * dim + d] as f64 - mean[d]) * fit_vectors[c][d])
                    .sum();
                let got = s.coords[i * k + c] as f64;
                assert!(
                    (got.abs() - proj.abs()).abs() < 1e-4,
                    "sampled, point {i} c {c}"
                );
            }
        }
    }
}

/// Points on the line through (1, 2, 3) along (1, −1, 0): all the variance on one component,
/// the coordinates are the distances along the line (√2 per step), and nothing is left for the
/// others — a direction orthogonal to an all-ones start vector.
#[test]
fn pca_of_points_on_a_line() {
    let s: Vec<f32> = (0..13).map(|i| i as f32 * 2.0 - 7.0).collect();
    let rows: Vec<f32> = s.iter().flat_map(|&s| [1.0 + s, 2.0 - s, 3.0]).collect();
    let p = pca(&rows, 3, 3);
    assert!((p.explained[0] - 1.0).abs() < 1e-12, "{p:?}");
    assert_eq!(&p.explained[1..], [0.0, 0.0]);
    let mean = s.iter().sum::<f32>() / s.len() as f32;
    for (i, &si) in s.iter().enumerate() {
        let want = ((si - mean) * std::f32::consts::SQRT_2).abs();
        assert!((p.coords[i * 3].abs() - want).abs() < 1e-5, "{i}: {p:?}");
        assert_eq!(&p.coords[i * 3 + 1..i * 3 + 3], [0.0, 0.0]);
    }
}

#[test]
fn pca_of_degenerate_inputs_is_zeros() {
    let zeros = |p: &rnnlab::core::pca::Projection| {
        p.coords.iter().all(|&v| v == 0.0) && p.explained.iter().all(|&v| v == 0.0)
    };
    let p = pca(&[], 4, 2);
    assert!(p.coords.is_empty() && p.explained == [0.0, 0.0]);
    let p = pca(&[1.0, 2.0, 3.0], 3, 2);
    assert!(p.coords.len() == 2 && zeros(&p), "{p:?}");
    let same: Vec<f32> = [0.5f32, -1.0, 2.0].repeat(10);
    let p = pca(&same, 3, 3);
    assert!(p.coords.len() == 30 && zeros(&p), "{p:?}");
    // k is at most 3 and at most dim.
    assert_eq!(pca(&[0.0, 1.0, 1.0, 0.0], 2, 3).explained.len(), 2);
    assert_eq!(pca(&[0.0; 40], 5, 9).explained.len(), 3);
    assert!(pca(&[1.0, 2.0], 0, 2).coords.is_empty());
}

#[test]
fn an_inspection_made_in_pieces_equals_one_made_at_once() {
    use rnnlab::core::inspect::Inspector;
    for (name, m) in windowless() {
        let ids = random_ids(2500, 11);
        let whole = inspect(&m, &ids, 5).unwrap();
        let mut job = Inspector::new(&m, &ids, 5).unwrap();
        let mut calls = 0;
        for size in [1, 7, 999, 1000, 5000].iter().cycle() {
            calls += 1;
            if job.advance(&m, *size).unwrap() {
                break;
            }
            assert!(job.done() < job.len());
        }
        assert!(calls > 4, "{name}: {calls} pieces");
        assert_eq!(
            job.finish().unwrap(),
            whole,
            "{name}: pieces differ from one go"
        );
    }
    let m = &every_model()[0].1;
    let job = Inspector::new(m, &random_ids(10, 1), 0).unwrap();
    assert!(job.finish().is_none(), "not read yet");
}

#[test]
fn saliency_from_a_stored_state_equals_saliency_of_the_whole_prefix_over_its_stretch() {
    use rnnlab::core::saliency::saliency_from;
    for (name, m) in windowless() {
        let ids = random_ids(60, 5);
        let ins = inspect(&m, &ids, 0).unwrap();
        let (from, pos): (usize, usize) = (40, 55);
        let whole = saliency(&m, &ids[..=pos], ids[pos + 1]).unwrap();
        let before = ins.state_after(from as isize - 1);
        let part = saliency_from(&m, &before, &ids[from..=pos], ids[pos + 1]).unwrap();
        assert_eq!(part.len(), pos + 1 - from);
        for (a, b) in part.iter().zip(&whole[from..]) {
            assert!(
                (a - b).abs() <= 1e-5 * b.abs().max(1e-6),
                "{name}: {a} vs {b}"
            );
        }
        assert_eq!(ins.state_after(-1), State::zeros(&m.spec, 1));
    }
}
