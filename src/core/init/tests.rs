//! Initialisation: chrono's gate biases, and that it leaves every other draw as it was.

use super::*;
use crate::core::cell::Activation;
use crate::core::model::Layer;

fn spec(cell: CellKind) -> ModelSpec {
    ModelSpec::chars(cell, "abcde".chars().collect(), 64, 2, 0)
}

fn init(cell: CellKind, chrono: Option<usize>) -> Params {
    let opts = InitOpts {
        chrono,
        ..InitOpts::default()
    };
    init_params(&spec(cell), opts, &mut Rng::new(7))
}

/// Block `g` of a gate bias vector.
fn block(v: &ndarray::Array1<f32>, g: usize, hs: usize) -> Vec<f32> {
    v.slice(ndarray::s![g * hs..(g + 1) * hs]).to_vec()
}

/// Whether `a` and `b` are bit-identical except in the listed gate blocks of the biases.
fn same_but(a: &Layer, b: &Layer, blocks: &[usize], hs: usize) -> bool {
    let gates = a.b_ih.len() / hs;
    a.w_ih == b.w_ih
        && a.w_hh == b.w_hh
        && (0..gates).filter(|g| !blocks.contains(g)).all(|g| {
            block(&a.b_ih, g, hs) == block(&b.b_ih, g, hs)
                && block(&a.b_hh, g, hs) == block(&b.b_hh, g, hs)
        })
}

#[test]
fn chrono_sets_an_lstms_forget_bias_to_ln_u_and_the_input_bias_to_its_negative() {
    let (t_max, hs) = (100, 64);
    let (plain, chrono) = (
        init(CellKind::Lstm, None),
        init(CellKind::Lstm, Some(t_max)),
    );
    for (a, b) in plain.layers.iter().zip(&chrono.layers) {
        let (bi, bf) = (block(&b.b_ih, 0, hs), block(&b.b_ih, 1, hs));
        for j in 0..hs {
            assert_eq!(bi[j], -bf[j]);
            assert!(
                (0.0..=(t_max as f32 - 1.0).ln()).contains(&bf[j]),
                "{}",
                bf[j]
            );
        }
        assert!(block(&b.b_hh, 0, hs)
            .iter()
            .chain(&block(&b.b_hh, 1, hs))
            .all(|v| *v == 0.0));
        // Spread over the time scales, not one value.
        let (lo, hi) = bf
            .iter()
            .fold((f32::MAX, f32::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
        assert!(lo < 1.5 && hi > 4.0, "ln u over [{lo}, {hi}]");
        assert!(
            same_but(a, b, &[0, 1], hs),
            "only the i and f biases change"
        );
    }
    assert_eq!(
        (&plain.dec_w, &plain.embedding),
        (&chrono.dec_w, &chrono.embedding)
    );
    // At the start a unit keeps σ(b_f) ≈ 1 − 1/u of its cell state per step.
    let keep = |p: &Params| {
        let f = block(&p.layers[0].b_ih, 1, hs);
        let g = block(&p.layers[0].b_hh, 1, hs);
        f.iter()
            .zip(&g)
            .map(|(a, b)| crate::core::mathf::sigmoid(a + b))
            .sum::<f32>()
            / hs as f32
    };
    assert!(
        keep(&chrono) > 0.9 && keep(&plain) < 0.6,
        "{} vs {}",
        keep(&chrono),
        keep(&plain)
    );
}

#[test]
fn chrono_sets_a_grus_update_gate_bias_and_leaves_an_rnn_alone() {
    let (t_max, hs) = (30, 64);
    let (plain, chrono) = (init(CellKind::Gru, None), init(CellKind::Gru, Some(t_max)));
    for (a, b) in plain.layers.iter().zip(&chrono.layers) {
        let bz = block(&b.b_ih, 1, hs);
        assert!(bz
            .iter()
            .all(|v| (0.0..=(t_max as f32 - 1.0).ln()).contains(v)));
        assert!(block(&b.b_hh, 1, hs).iter().all(|v| *v == 0.0));
        assert!(same_but(a, b, &[1], hs), "only z's biases change");
    }
    let rnn = CellKind::Rnn(Activation::Tanh);
    assert_eq!(init(rnn, None), init(rnn, Some(t_max)));
}

#[test]
fn chrono_replaces_the_forget_bias_setting() {
    let opts = |chrono| InitOpts {
        forget_bias: Some(1.0),
        chrono,
        ..InitOpts::default()
    };
    let p = init_params(&spec(CellKind::Lstm), opts(Some(50)), &mut Rng::new(7));
    let q = init_params(&spec(CellKind::Lstm), opts(None), &mut Rng::new(7));
    assert!(block(&q.layers[0].b_ih, 1, 64).iter().all(|v| *v == 1.0));
    assert!(block(&p.layers[0].b_ih, 1, 64).iter().any(|v| *v != 1.0));
}
