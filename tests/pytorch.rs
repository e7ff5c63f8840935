//! Agreement with PyTorch: fixtures written by `tests/fixtures/make_fixtures.py` (torch models
//! saved in rnnlab's safetensors layout, with torch's loss, gradients, `∂L/∂h_t` norms, two steps
//! of every optimizer and a greedy sample).

use rnnlab::core::io;
use rnnlab::core::loss::{loss_and_grad, Target, IGNORE};
use rnnlab::core::model::{Input, LossKind, Model, Params, State};
use rnnlab::core::optim::{clip, Clip, OptKind, Optimizer};
use rnnlab::core::sample::{sample, SampleOpts};
use serde_json::Value;
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/torch");

struct Fixture {
    name: String,
    model: Model,
    json: Value,
    batch: usize,
    tokens: Vec<u32>,
    reals: Vec<f32>,
    targets: Vec<u32>,
    y: Vec<f32>,
}

fn f32s(v: &Value) -> Vec<f32> {
    match v {
        Value::Array(a) => a.iter().flat_map(f32s).collect(),
        Value::Number(n) => vec![n.as_f64().unwrap() as f32],
        _ => panic!("not numeric: {v}"),
    }
}

/// `[B][T][…]` (batch-major, as the fixtures store it) → time-major flat `[T][B][…]`.
fn time_major(v: &Value) -> (usize, Vec<f32>) {
    let rows = v.as_array().unwrap();
    let b = rows.len();
    let steps: Vec<Vec<Vec<f32>>> = rows
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(f32s).collect())
        .collect();
    let t = steps[0].len();
    let mut out = Vec::new();
    for ti in 0..t {
        for row in &steps {
            out.extend_from_slice(&row[ti]);
        }
    }
    (b, out)
}

/// `v` as token ids (`(ids, [])`), or as real values for an MSE model (`([], v)`).
fn ids_or_reals(mse: bool, v: Vec<f32>) -> (Vec<u32>, Vec<f32>) {
    if mse {
        (vec![], v)
    } else {
        (v.iter().map(|v| *v as u32).collect(), vec![])
    }
}

fn fixtures() -> Vec<Fixture> {
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(DIR).join("manifest.json")).unwrap(),
    )
    .unwrap();
    manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let name = c.as_str().unwrap().to_string();
            let bytes = std::fs::read(Path::new(DIR).join(format!("{name}.safetensors"))).unwrap();
            let model = io::load(&bytes)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .model;
            let json: Value = serde_json::from_str(
                &std::fs::read_to_string(Path::new(DIR).join(format!("{name}.json"))).unwrap(),
            )
            .unwrap();
            let (batch, x) = time_major(&json["inputs"]);
            let (_, y) = time_major(&json["targets"]);
            let mse = model.spec.loss == LossKind::Mse;
            let (tokens, reals) = ids_or_reals(mse, x);
            let (targets, y) = ids_or_reals(mse, y);
            Fixture {
                name,
                batch,
                tokens,
                reals,
                targets,
                y,
                model,
                json,
            }
        })
        .collect()
}

impl Fixture {
    fn steps(&self) -> usize {
        self.json["inputs"][0].as_array().unwrap().len()
    }

    /// Loss, parameter gradients and `∂L/∂h_t` norms (window loss, or the last step's alone).
    fn run(&self, model: &Model, last_only: bool) -> (f32, Params, Vec<Vec<f32>>) {
        let (b, t) = (self.batch, self.steps());
        let state = State::zeros(&model.spec, b);
        let input = if self.reals.is_empty() {
            Input::Tokens(&self.tokens)
        } else {
            Input::Real(&self.reals)
        };
        let tr = model.forward(input, b, &state).unwrap();
        let ids: Vec<u32> = self
            .targets
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if !last_only || i >= (t - 1) * b {
                    v
                } else {
                    IGNORE
                }
            })
            .collect();
        let mask: Vec<bool> = (0..t).map(|i| !last_only || i == t - 1).collect();
        let target = if self.y.is_empty() {
            Target::Tokens(&ids)
        } else {
            Target::Real {
                y: &self.y,
                mask: &mask,
            }
        };
        let (loss, d) = loss_and_grad(model.spec.loss, &tr.logits, model.spec.output_size, target);
        let mut g = Params::zeros(&model.spec);
        let dh = model.backward(&tr, &d, Some(&mut g));
        (loss, g, dh)
    }
}

fn assert_close(what: &str, got: &[f32], want: &[f32], tol: f32) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * (1.0 + w.abs()),
            "{what}[{i}]: rnnlab {g} vs torch {w}"
        );
    }
}

#[test]
fn loss_gradients_and_hidden_gradients_match_torch() {
    let all = fixtures();
    assert!(all.len() >= 19);
    for f in &all {
        let (loss, g, dh) = f.run(&f.model, false);
        assert_close(
            &format!("{}: loss", f.name),
            &[loss],
            &[f.json["loss"].as_f64().unwrap() as f32],
            1e-5,
        );
        for (name, _, data) in g.named() {
            assert_close(
                &format!("{}: grad {name}", f.name),
                data,
                &f32s(&f.json["grads"][&name]),
                1e-5,
            );
        }
        assert_close(
            &format!("{}: dh_total", f.name),
            &dh.concat(),
            &f32s(&f.json["dh_total"]),
            1e-5,
        );
        let (_, _, dh_last) = f.run(&f.model, true);
        assert_close(
            &format!("{}: dh_last", f.name),
            &dh_last.concat(),
            &f32s(&f.json["dh_last"]),
            1e-5,
        );
    }
}

#[test]
fn two_steps_of_every_optimizer_match_torch() {
    for f in fixtures() {
        let optims = f.json["optim"].as_object().unwrap();
        assert_eq!(optims.len(), 8, "{}", f.name);
        for (key, o) in optims {
            let h = &o["hyper"];
            let num = |k: &str| h[k].as_f64().unwrap_or(0.0) as f32;
            let kind = match h["kind"].as_str().unwrap() {
                "sgd" => OptKind::Sgd {
                    momentum: num("momentum"),
                },
                "adam" => OptKind::Adam {
                    beta1: num("beta1"),
                    beta2: num("beta2"),
                    eps: num("eps"),
                },
                "rmsprop" => OptKind::RmsProp {
                    alpha: num("alpha"),
                    eps: num("eps"),
                },
                "adagrad" => OptKind::Adagrad { eps: num("eps") },
                k => panic!("unknown optimizer {k}"),
            };
            let rule = if h.get("clip_norm").is_some() {
                Clip::Norm(num("clip_norm"))
            } else if h.get("clip_value").is_some() {
                Clip::Value(num("clip_value"))
            } else {
                Clip::None
            };
            let mut model = f.model.clone();
            let sizes: Vec<usize> = model.params.slices().iter().map(|s| s.len()).collect();
            let mut opt = Optimizer::new(kind, num("lr"), num("weight_decay"), &sizes);
            for _ in 0..o["steps"].as_u64().unwrap() {
                let (_, mut g, _) = f.run(&model, false);
                clip(&mut g, rule);
                opt.step(&mut model.params, &mut g);
            }
            for (name, _, data) in model.params.named() {
                assert_close(
                    &format!("{} {key}: {name}", f.name),
                    data,
                    &f32s(&o["params"][&name]),
                    2e-5,
                );
            }
        }
    }
}

#[test]
fn greedy_sample_and_probabilities_match_torch() {
    let mut n = 0;
    for f in fixtures()
        .into_iter()
        .filter(|f| f.json.get("sample").is_some())
    {
        let s = &f.json["sample"];
        let len = s["len"].as_u64().unwrap() as usize;
        let out = sample(
            &f.model,
            s["prime"].as_str().unwrap(),
            SampleOpts {
                len,
                greedy: true,
                ..SampleOpts::default()
            },
        )
        .unwrap();
        assert_eq!(out.text, s["greedy"].as_str().unwrap(), "{}", f.name);
        assert_close(
            &format!("{}: probs", f.name),
            &out.probs[0],
            &f32s(&s["probs_after_prime"]),
            1e-5,
        );
        n += 1;
    }
    assert_eq!(n, 14);
}

/// `s_t = ‖∂ log p(y | x_1..x_m)/∂x_t‖` (one-hot or embedding rows) of a short text against
/// torch autograd, for every character case (`torch/saliency.json`).
#[test]
fn saliency_matches_torch() {
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(DIR).join("saliency.json")).unwrap(),
    )
    .unwrap();
    let cases = json["cases"].as_object().unwrap();
    let chars: Vec<Fixture> = fixtures()
        .into_iter()
        .filter(|f| f.model.spec.loss == LossKind::CrossEntropy)
        .collect();
    assert_eq!((cases.len(), chars.len()), (14, 14));
    for f in &chars {
        let c = &cases[&f.name];
        let ids: Vec<u32> = f32s(&c["inputs"]).iter().map(|&v| v as u32).collect();
        let target = c["target"].as_u64().unwrap() as u32;
        let s = rnnlab::core::saliency::saliency(&f.model, &ids, target).unwrap();
        assert_close(
            &format!("{}: saliency", f.name),
            &s,
            &f32s(&c["values"]),
            1e-5,
        );
    }
}

/// The fixed-point finder's map — one step of the top layer with zero input, `q(s)`, `∇q` and
/// the Jacobian — against torch's own cells and autograd (`torch/fixed.json`).
#[test]
fn the_fixed_point_map_matches_torch() {
    use rnnlab::core::fixed::Dynamics;
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(Path::new(DIR).join("fixed.json")).unwrap())
            .unwrap();
    let cases = json["cases"].as_object().unwrap();
    let mut n = 0;
    for f in fixtures()
        .iter()
        .filter(|f| f.model.spec.loss == LossKind::CrossEntropy)
    {
        let c = &cases[&f.name];
        let d = Dynamics::new(&f.model);
        let s = f32s(&c["s"]);
        assert_close(
            &format!("{}: F(s)", f.name),
            &d.step(&s),
            &f32s(&c["f"]),
            1e-5,
        );
        let (q, g) = d.q_and_grad(&s);
        assert_close(&format!("{}: q", f.name), &[q], &f32s(&c["q"]), 1e-5);
        assert_close(&format!("{}: ∇q", f.name), &g, &f32s(&c["grad_q"]), 1e-5);
        let jac: Vec<f32> = d.jacobian(&s).iter().map(|v| *v as f32).collect();
        assert_close(&format!("{}: J", f.name), &jac, &f32s(&c["jacobian"]), 1e-5);
        n += 1;
    }
    assert_eq!((n, cases.len()), (14, 14));
}
