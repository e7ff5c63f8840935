//! The finder's derivatives against finite differences, its spectral radius against nalgebra's
//! eigenvalues, and the fixed points of a one-unit RNN known in closed form.

use super::*;
use crate::core::cell::Activation;
use crate::core::init::{init_params, InitOpts};
use crate::core::model::{CellKind, ModelSpec};
use crate::core::rng::Rng;

fn model(cell: CellKind, layers: usize, seed: u64) -> Model {
    let spec = ModelSpec::chars(cell, "abcd".chars().collect(), 6, layers, 0);
    let mut params = init_params(&spec, InitOpts::default(), &mut Rng::new(seed));
    // Larger recurrent weights, so the map is far from the identity and from linear.
    for l in &mut params.layers {
        l.w_hh.iter_mut().for_each(|v| *v *= 3.0);
    }
    Model { spec, params }
}

fn cells() -> [CellKind; 5] {
    [
        CellKind::Rnn(Activation::Tanh),
        CellKind::Rnn(Activation::Sigmoid),
        CellKind::Rnn(Activation::Relu),
        CellKind::Lstm,
        CellKind::Gru,
    ]
}

fn state(n: usize, rng: &mut Rng) -> Vec<f32> {
    (0..n).map(|_| 0.8 * rng.normal()).collect()
}

/// Central difference of `f` at `s` along coordinate `k`, in f64 from f32 evaluations.
fn fd(f: impl Fn(&[f32]) -> Vec<f32>, s: &[f32], k: usize) -> Vec<f64> {
    let h = 1e-2f32;
    let (mut a, mut b) = (s.to_vec(), s.to_vec());
    a[k] += h;
    b[k] -= h;
    f(&a)
        .iter()
        .zip(f(&b))
        .map(|(x, y)| (*x as f64 - y as f64) / (2.0 * h as f64))
        .collect()
}

#[test]
fn the_jacobian_and_the_gradient_of_q_match_finite_differences() {
    let mut rng = Rng::new(3);
    for cell in cells() {
        for layers in [1, 2] {
            let m = model(cell, layers, 11 + layers as u64);
            let d = Dynamics::new(&m);
            let n = d.dim();
            let s = state(n, &mut rng);
            let jac = d.jacobian(&s);
            let (q, g) = d.q_and_grad(&s);
            for k in 0..n {
                // Column k of J.
                let col = fd(|x| d.step(x), &s, k);
                for (i, want) in col.iter().enumerate() {
                    let got = jac[i * n + k];
                    assert!(
                        (got - want).abs() < 2e-3 * want.abs().max(1.0),
                        "{cell:?} L{layers}: J[{i},{k}] {got} vs fd {want}"
                    );
                }
                let dq = fd(|x| vec![d.q_and_grad(x).0], &s, k)[0];
                assert!(
                    (g[k] as f64 - dq).abs() < 2e-3 * dq.abs().max(1.0),
                    "{cell:?} L{layers}: ∂q/∂s[{k}] {} vs fd {dq} (q {q})",
                    g[k]
                );
            }
        }
    }
}

#[test]
fn the_spectral_radius_matches_nalgebras_eigenvalues() {
    let mut rng = Rng::new(5);
    for n in [1, 2, 5, 12, 40] {
        for scale in [0.1, 1.0, 3.0] {
            let a: Vec<f64> = (0..n * n).map(|_| scale * rng.normal() as f64).collect();
            let m = nalgebra::DMatrix::from_row_slice(n, n, &a);
            let want = m
                .complex_eigenvalues()
                .iter()
                .map(|z| z.norm())
                .fold(0.0, f64::max);
            let got = spectral_radius(&a, n);
            assert!((got - want).abs() < 5e-3 * want, "n {n}: {got} vs {want}");
        }
    }
    // A rotation (eigenvalues e^{±iθ}, |λ| = 1 exactly) and a Jordan block (λ = 0.5 twice).
    let (c, s) = (0.6f64, 0.8f64);
    assert!((spectral_radius(&[c, -s, s, c], 2) - 1.0).abs() < 1e-3);
    assert!((spectral_radius(&[0.5, 1.0, 0.0, 0.5], 2) - 0.5).abs() < 5e-3);
    assert_eq!(spectral_radius(&[0.0; 9], 3), 0.0);
}

/// `h_t = tanh(2·h_{t−1})` has the fixed points 0 (unstable, λ = 2) and ±h* with h* = tanh(2h*)
/// ≈ 0.9575 (stable, λ = 2(1 − h*²) ≈ 0.166).
#[test]
fn a_one_unit_rnn_has_its_three_fixed_points() {
    let spec = ModelSpec::chars(CellKind::Rnn(Activation::Tanh), vec!['a'], 1, 1, 0);
    let mut params = crate::core::model::Params::zeros(&spec);
    params.layers[0].w_hh.fill(2.0);
    let m = Model { spec, params };
    let visited = vec![vec![0.6], vec![-0.7], vec![0.001]];
    let opts = Opts {
        starts: 30,
        noise: 0.0,
        tol_q: 1e-10,
        ..Opts::default()
    };
    let mut pts = find(&m, &visited, opts).unwrap();
    pts.sort_by(|a, b| a.h[0].total_cmp(&b.h[0]));
    let hs: Vec<f32> = pts.iter().map(|p| p.h[0]).collect();
    assert_eq!(pts.len(), 3, "{hs:?}");
    let star = 0.957_504_f32;
    assert!((hs[0] + star).abs() < 1e-4 && hs[1].abs() < 1e-4 && (hs[2] - star).abs() < 1e-4);
    let lam = 2.0 * (1.0 - star * star);
    assert!(pts[0].stable && !pts[1].stable && pts[2].stable);
    assert!((pts[1].max_abs_eig - 2.0).abs() < 1e-2);
    assert!(
        (pts[2].max_abs_eig - lam).abs() < 1e-2,
        "{}",
        pts[2].max_abs_eig
    );
    assert!(
        find(&m, &[vec![0.0, 1.0]], opts).is_err(),
        "a state of the wrong size"
    );
}

/// The search spread over many calls (as the lab runs it, a few iterations per frame) gives the
/// same points, bit for bit, as one call of `find`.
#[test]
fn a_search_run_a_few_starts_at_a_time_finds_the_same_points() {
    let mut rng = Rng::new(8);
    for cell in [
        CellKind::Rnn(Activation::Tanh),
        CellKind::Lstm,
        CellKind::Gru,
    ] {
        let m = model(cell, 1, 3);
        let n = Dynamics::new(&m).dim();
        let visited: Vec<Vec<f32>> = (0..5).map(|_| state(n, &mut rng)).collect();
        let opts = Opts {
            starts: 7,
            iters: 2000,
            tol_q: 1e-2,
            ..Opts::default()
        };
        let whole = find(&m, &visited, opts).unwrap();
        assert!(!whole.is_empty(), "{cell:?}: some points to compare");
        let mut s = Search::new(&m, &visited, opts).unwrap();
        let (mut calls, mut done) = (0, 0);
        while !s.advance(37) {
            calls += 1;
            assert!(s.done() >= done && s.done() < 7);
            done = s.done();
        }
        assert_eq!((s.done(), s.starts()), (7, 7));
        assert!(
            calls > 7,
            "{cell:?}: starts split over calls ({calls} calls)"
        );
        assert!(s.advance(1), "nothing left to run");
        assert_eq!(s.points(), whole, "{cell:?}");
        assert_eq!(s.found(), whole.len());
    }
}

/// The flip-flop's states come grouped by the memory the task asks for: the signs of the
/// three targets at that step and episode.
#[test]
fn flipflop_states_are_grouped_by_the_memory_their_targets_hold() {
    use crate::core::data::{Source, WindowTarget};
    use crate::core::tasks::{Task, TaskKind};
    let spec = ModelSpec {
        input_size: 3,
        output_size: 3,
        ..ModelSpec::chars(CellKind::Gru, vec![], 5, 1, 0)
    };
    let params = init_params(&spec, InitOpts::default(), &mut Rng::new(2));
    let m = Model { spec, params };
    let st = task_states(&m, TaskKind::Flipflop, 30, 4, 9).unwrap();
    assert_eq!((st.steps, st.episodes, st.visited.len()), (30, 4, 120));
    assert_eq!(st.h.len(), 120 * 5);
    assert_eq!(st.groups.len(), 8);
    assert_eq!(
        (st.groups[0].as_str(), st.groups[5].as_str()),
        ("−−−", "+−+")
    );
    let WindowTarget::Real { y, .. } = Task::new(TaskKind::Flipflop, 30, 4, 9)
        .unwrap()
        .next_window()
        .target
    else {
        panic!("real targets")
    };
    for (r, &g) in st.group.iter().enumerate() {
        let signs: String = (0..3)
            .map(|o| if y[r * 3 + o] > 0.0 { '+' } else { '−' })
            .collect();
        assert_eq!(st.groups[g], signs, "row {r}");
    }
    assert!(
        st.group.iter().any(|&g| g != st.group[0]),
        "the memories change"
    );
}
