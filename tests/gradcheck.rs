//! Finite-difference checks of every gradient through full BPTT: every cell × nonlinearity ×
//! 1–2 layers × one-hot/embedding input × both losses, the remedies (residual connections across
//! layers and through time, dot attention), and of the diagnostics' `∂L/∂h_t`.

use rnnlab::core::cell::Activation;
use rnnlab::core::init::{init_params, InitOpts};
use rnnlab::core::loss::{loss_and_grad, Target};
use rnnlab::core::model::{
    Attention, CellKind, Input, LossKind, Model, ModelSpec, Params, Residual, State,
};
use rnnlab::core::rng::Rng;

const T: usize = 5;
const B: usize = 2;

thread_local! {
    /// Finite-difference step: 1e-2 for smooth cells; 1e-3 for ReLU so fewer steps cross a kink.
    static H: std::cell::Cell<f32> = const { std::cell::Cell::new(1e-2) };
}

struct Case {
    model: Model,
    tokens: Vec<u32>,
    reals: Vec<f32>,
    targets: Vec<u32>,
    y: Vec<f32>,
    mask: Vec<bool>,
    state: State,
}

fn case(cell: CellKind, layers: usize, embed: usize, loss: LossKind, seed: u64) -> Case {
    case_with(cell, layers, embed, loss, seed, NO_REMEDY)
}

/// Residual connections and attention of a case.
type Remedies = (Residual, Attention);
const NO_REMEDY: Remedies = (Residual::None, Attention::None);

fn case_with(
    cell: CellKind,
    layers: usize,
    embed: usize,
    loss: LossKind,
    seed: u64,
    (residual, attention): Remedies,
) -> Case {
    let (v, i, o) = (6, 3, 2);
    let spec = match loss {
        LossKind::CrossEntropy => {
            ModelSpec::chars(cell, "abcdef".chars().collect(), 4, layers, embed)
        }
        LossKind::Mse => ModelSpec {
            cell,
            input_size: i,
            hidden: 4,
            layers,
            embed: 0,
            output_size: o,
            loss,
            ..ModelSpec::chars(cell, vec![], 4, layers, 0)
        },
    }
    .with_remedies(residual, attention, T);
    let mut rng = Rng::new(seed);
    // Scale weights up a little so the nonlinearities work away from their linear region.
    let mut params = init_params(&spec, InitOpts::default(), &mut rng);
    for s in params.slices_mut() {
        s.iter_mut().for_each(|x| *x *= 2.0);
    }
    // States are small (an LSTM's most of all): a larger W_a makes the attention weights
    // differ from uniform, so its gradient is well above the finite differences' f32 noise.
    if let Some(a) = &mut params.attention {
        a.iter_mut().for_each(|x| *x *= 4.0);
    }
    let mut state = State::zeros(&spec, B);
    // A non-zero carried state, as in truncated BPTT after the first window.
    for h in state.h.iter_mut().chain(state.c.iter_mut()) {
        h.iter_mut().for_each(|x| *x = rng.uniform_in(-0.5, 0.5));
    }
    Case {
        tokens: (0..T * B).map(|_| rng.below(v) as u32).collect(),
        targets: (0..T * B).map(|_| rng.below(v) as u32).collect(),
        reals: (0..T * B * i).map(|_| rng.normal()).collect(),
        y: (0..T * B * o).map(|_| rng.normal()).collect(),
        mask: vec![true, false, true, true, true],
        model: Model { spec, params },
        state,
    }
}

fn loss_of(
    c: &Case,
    m: &Model,
    perturb: Option<(usize, usize, usize, f32)>,
    last_only: bool,
) -> (f32, Vec<f32>, rnnlab::core::model::Trace) {
    let input = if m.spec.loss == LossKind::Mse {
        Input::Real(&c.reals)
    } else {
        Input::Tokens(&c.tokens)
    };
    let tr = m.forward_perturbed(input, B, &c.state, perturb).unwrap();
    let ignore: Vec<u32>;
    let mask: Vec<bool>;
    let target = match m.spec.loss {
        LossKind::CrossEntropy if last_only => {
            ignore = c
                .targets
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    if i >= (T - 1) * B {
                        t
                    } else {
                        rnnlab::core::loss::IGNORE
                    }
                })
                .collect();
            Target::Tokens(&ignore)
        }
        LossKind::CrossEntropy => Target::Tokens(&c.targets),
        LossKind::Mse if last_only => {
            mask = (0..T).map(|t| t == T - 1).collect();
            Target::Real {
                y: &c.y,
                mask: &mask,
            }
        }
        LossKind::Mse => Target::Real {
            y: &c.y,
            mask: &c.mask,
        },
    };
    let (l, d) = loss_and_grad(m.spec.loss, &tr.logits, m.spec.output_size, target);
    (l, d, tr)
}

/// Sets the finite-difference step [`H`] for `cell`.
fn set_fd_step(cell: CellKind) {
    H.with(|h| {
        h.set(if cell == CellKind::Rnn(Activation::Relu) {
            1e-3
        } else {
            1e-2
        })
    });
}

/// Central difference in f32 (errors are O(h²); the check compares whole tensors, so a rare
/// ReLU kink between the two probes does not dominate).
fn fd(f: impl Fn(f32) -> f32) -> f32 {
    let h = H.with(|h| h.get());
    (f(h) - f(-h)) / (2.0 * h)
}

fn rel_err(a: &[f32], b: &[f32]) -> f32 {
    let num: f32 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f32>()
        .sqrt();
    let den: f32 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x + y) * (x + y))
        .sum::<f32>()
        .sqrt();
    if den < 1e-6 {
        num
    } else {
        num / den
    }
}

fn check(cell: CellKind, layers: usize, embed: usize, loss: LossKind) {
    check_with(cell, layers, embed, loss, NO_REMEDY);
}

fn check_with(cell: CellKind, layers: usize, embed: usize, loss: LossKind, rem: Remedies) {
    let name = format!("{cell:?} layers={layers} embed={embed} {loss:?} {rem:?}");
    set_fd_step(cell);
    let seed = 7 + layers as u64 * 31 + embed as u64;
    let c = case_with(cell, layers, embed, loss, seed, rem);
    let (_, d, tr) = loss_of(&c, &c.model, None, false);
    let mut g = Params::zeros(&c.model.spec);
    let dh = c.model.backward(&tr, &d, Some(&mut g));
    let names: Vec<String> = c.model.params.named().into_iter().map(|n| n.0).collect();
    let grads: Vec<Vec<f32>> = g.slices().iter().map(|s| s.to_vec()).collect();
    for (ti, name_t) in names.iter().enumerate() {
        let n = grads[ti].len();
        let mut num = vec![0.0; n];
        for (k, nk) in num.iter_mut().enumerate() {
            *nk = fd(|h| {
                let mut m = c.model.clone();
                m.params.slices_mut()[ti][k] += h;
                loss_of(&c, &m, None, false).0
            });
        }
        let e = rel_err(&num, &grads[ti]);
        assert!(
            e < 2e-2,
            "{name}: gradient of {name_t} off by {e:.2e}\n fd {num:?}\n an {:?}",
            grads[ti]
        );
        assert!(
            grads[ti].iter().any(|v| *v != 0.0) || num.iter().all(|v| v.abs() < 1e-4),
            "{name}: {name_t} gradient all zero"
        );
    }
    // ∂L/∂h_t for the window loss, and for the last step's loss alone (hidden-only backward).
    let (_, dl, trl) = loss_of(&c, &c.model, None, true);
    let dh_last = c.model.backward(&trl, &dl, None);
    for (want, last) in [(&dh, false), (&dh_last, true)] {
        for (l, want_l) in want.iter().enumerate() {
            for (t, &want_lt) in want_l.iter().enumerate() {
                let v: Vec<f32> = (0..B * 4)
                    .map(|k| fd(|h| loss_of(&c, &c.model, Some((l, t, k, h)), last).0))
                    .collect();
                let nv = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                let tol = 2e-2 * nv.max(1e-2);
                assert!(
                    (nv - want_lt).abs() < tol,
                    "{name}: ‖∂L/∂h‖ (last={last}) layer {l} t {t}: fd {nv} vs {want_lt}"
                );
            }
        }
    }
    // The last-step gradient must not be identically zero (that would make the check vacuous).
    assert!(
        dh_last[layers - 1][T - 1] > 0.0,
        "{name}: last-step gradient is zero"
    );
}

fn cells() -> Vec<CellKind> {
    vec![
        CellKind::Rnn(Activation::Tanh),
        CellKind::Rnn(Activation::Relu),
        CellKind::Rnn(Activation::Sigmoid),
        CellKind::Lstm,
        CellKind::Gru,
    ]
}

/// [`check`] for every cell with 1 and 2 layers.
fn check_every_cell(embed: usize, loss: LossKind) {
    for cell in cells() {
        for layers in [1, 2] {
            check(cell, layers, embed, loss);
        }
    }
}

/// Residual connections across stacked layers, every cell, 2 and 3 layers, both losses.
#[test]
fn residual_across_layers() {
    for cell in [
        CellKind::Rnn(Activation::Tanh),
        CellKind::Lstm,
        CellKind::Gru,
    ] {
        for layers in [2, 3] {
            for (embed, loss) in [(0, LossKind::CrossEntropy), (0, LossKind::Mse)] {
                check_with(
                    cell,
                    layers,
                    embed,
                    loss,
                    (Residual::Layers, Attention::None),
                );
            }
        }
    }
}

/// The residual RNN through time, tanh and sigmoid (and ReLU), 1 and 2 layers.
#[test]
fn residual_through_time() {
    for act in [Activation::Tanh, Activation::Sigmoid, Activation::Relu] {
        for layers in [1, 2] {
            for (embed, loss) in [(3, LossKind::CrossEntropy), (0, LossKind::Mse)] {
                let rem = (Residual::Time, Attention::None);
                check_with(CellKind::Rnn(act), layers, embed, loss, rem);
            }
        }
    }
}

/// Dot attention alone (1 layer), with 2 layers, and with 2 residual layers. (An LSTM's states
/// are small, `|h| < |o|`, and `∂W_a = Σ ∂e·z zᵀ` is then too small for f32 finite differences:
/// it is checked with residual layers, whose `o = h_0 + h_1` is larger.)
#[test]
fn attention_dot() {
    let cases = [
        (CellKind::Rnn(Activation::Tanh), 1, Residual::None),
        (CellKind::Rnn(Activation::Tanh), 2, Residual::None),
        (CellKind::Gru, 2, Residual::None),
        (CellKind::Lstm, 2, Residual::Layers),
        (CellKind::Rnn(Activation::Sigmoid), 1, Residual::Time),
    ];
    for (cell, layers, residual) in cases {
        for (embed, loss) in [(0, LossKind::CrossEntropy), (0, LossKind::Mse)] {
            check_with(cell, layers, embed, loss, (residual, Attention::Dot));
        }
    }
}

#[test]
fn cross_entropy_one_hot() {
    check_every_cell(0, LossKind::CrossEntropy);
}

#[test]
fn cross_entropy_embedding() {
    check_every_cell(3, LossKind::CrossEntropy);
}

#[test]
fn mse_real_inputs() {
    check_every_cell(0, LossKind::Mse);
}

/// Connectivity `‖∂(−log p(ŷ_T))/∂x_t‖` against finite differences on the embedding rows (the
/// tokens are distinct, so each row is exactly one step's input).
#[test]
fn connectivity_matches_finite_differences() {
    use rnnlab::core::diag::connectivity;
    for cell in cells() {
        set_fd_step(cell);
        let c = case(cell, 2, 3, LossKind::CrossEntropy, 11);
        let ids = [4u32, 1, 5, 0, 2];
        let conn = connectivity(&c.model, &ids).unwrap();
        let m = &c.model;
        let tr = m
            .forward(Input::Tokens(&ids), 1, &State::zeros(&m.spec, 1))
            .unwrap();
        let best = rnnlab::core::sample::argmax(&tr.logits[4 * 6..5 * 6]);
        let nll = |m: &Model| {
            let tr = m
                .forward(Input::Tokens(&ids), 1, &State::zeros(&m.spec, 1))
                .unwrap();
            let z = &tr.logits[4 * 6..5 * 6];
            rnnlab::core::loss::log_sum_exp(z) - z[best]
        };
        for (t, &id) in ids.iter().enumerate() {
            let g: Vec<f32> = (0..3)
                .map(|k| {
                    fd(|h| {
                        let mut m2 = m.clone();
                        m2.params.embedding.as_mut().unwrap()[[id as usize, k]] += h;
                        nll(&m2)
                    })
                })
                .collect();
            let n = g.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!(
                (n - conn[t]).abs() < 2e-2 * n.max(1e-2),
                "{cell:?} t {t}: fd {n} vs {}",
                conn[t]
            );
        }
    }
}

/// `m` reading dense input vectors instead of tokens, and the vectors it reads for `ids`: the
/// one-hot rows, or the embedding rows (the same weights after the embedding).
fn dense_twin(m: &Model, ids: &[u32]) -> (Model, Vec<f32>) {
    let mut spec = m.spec.clone();
    let width = spec.layer_input(0);
    let x: Vec<f32> = match &m.params.embedding {
        None => ids
            .iter()
            .flat_map(|&id| (0..width).map(move |k| f32::from(u8::from(k == id as usize))))
            .collect(),
        Some(e) => ids
            .iter()
            .flat_map(|&id| e.row(id as usize).to_vec())
            .collect(),
    };
    spec.input_size = width;
    spec.embed = 0;
    let mut params = m.params.clone();
    params.embedding = None;
    (Model { spec, params }, x)
}

/// Saliency `‖∂ log p(y | x_1..x_m)/∂x_t‖` against finite differences on every entry of every
/// step's input vector, through the whole window: the model reads the same vectors as dense
/// inputs, so each step's vector moves on its own (the tokens repeat: moving an embedding row
/// would move several steps at once).
#[test]
fn saliency_matches_finite_differences() {
    use rnnlab::core::saliency::saliency;
    let (ids, y) = ([4u32, 1, 4, 0, 2, 1], 3usize);
    for cell in cells() {
        set_fd_step(cell);
        for layers in [1, 2] {
            for embed in [0, 3] {
                let name = format!("{cell:?} layers={layers} embed={embed}");
                let seed = 13 + 7 * layers as u64 + embed as u64;
                let c = case(cell, layers, embed, LossKind::CrossEntropy, seed);
                let s = saliency(&c.model, &ids, y as u32).unwrap();
                let (dense, x) = dense_twin(&c.model, &ids);
                let log_p = |x: &[f32]| {
                    let tr = dense
                        .forward(Input::Real(x), 1, &State::zeros(&dense.spec, 1))
                        .unwrap();
                    let z = &tr.logits[tr.logits.len() - 6..];
                    z[y] - rnnlab::core::loss::log_sum_exp(z)
                };
                let w = x.len() / ids.len();
                assert_eq!(s.len(), ids.len(), "{name}");
                for t in 0..ids.len() {
                    let g: Vec<f32> = (0..w)
                        .map(|k| {
                            fd(|h| {
                                let mut x2 = x.clone();
                                x2[t * w + k] += h;
                                log_p(&x2)
                            })
                        })
                        .collect();
                    let n = g.iter().map(|v| v * v).sum::<f32>().sqrt();
                    assert!(
                        (n - s[t]).abs() < 2e-2 * n.max(1e-2),
                        "{name} t {t}: fd {n} vs {}",
                        s[t]
                    );
                }
                // Through the recurrence, not only from the last input (the sigmoid's slope, at
                // most 1/4, shrinks it fastest: that is what it teaches).
                let floor = if cell == CellKind::Rnn(Activation::Sigmoid) {
                    1e-3
                } else {
                    1e-2
                };
                assert!(s[4] > floor, "{name}: the saliency vanished: {s:?}");
            }
        }
    }
}
